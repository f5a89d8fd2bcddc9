import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildRouteTable, routesForFile, type RouteConfig } from "./route-config.js";

function table(files: Record<string, string[]>): RouteConfig[] {
  const entries: RouteConfig[] = [];
  for (const [file, exports] of Object.entries(files)) {
    const routes = routesForFile(file, exports);
    if ("error" in routes) throw new Error(routes.error);
    entries.push(...routes);
  }
  return buildRouteTable(entries);
}

describe("Functions route table", () => {
  test("file paths become route and mount paths; index and _middleware files map to their folder", () => {
    assert.deepEqual(routesForFile("api/users/[id].ts", ["onRequestGet", "helper"]), [{ routePath: "/api/users/:id", mountPath: "/api/users", method: "GET", module: ["api/users/[id].ts:onRequestGet"] }]);
    assert.deepEqual(routesForFile("index.js", ["onRequest"]), [{ routePath: "/", mountPath: "/", method: "", module: ["index.js:onRequest"] }]);
    assert.deepEqual(routesForFile("admin/_middleware.js", ["onRequest"]), [{ routePath: "/admin", mountPath: "/admin", method: "", middleware: ["admin/_middleware.js:onRequest"] }]);
    assert.deepEqual(routesForFile("files/[[path]].js", ["onRequest"])[0 as never], { routePath: "/files/:path*", mountPath: "/files", method: "", module: ["files/[[path]].js:onRequest"] });
  });

  test("only onRequest and onRequest<Method> exports make routes (case exact)", () => {
    const routes = routesForFile("a.js", ["onRequestPost", "onrequest", "onRequestget", "onRequestHead", "default"]);
    assert.deepEqual((routes as RouteConfig[]).map((r) => r.method), ["POST", "HEAD"]);
  });

  test("parameter names must be alphanumeric or underscore", () => {
    assert.deepEqual(routesForFile("users/[user-id].js", ["onRequest"]), {
      error: 'Invalid Pages function route parameter - "[user-id]". Parameter names must only contain alphanumeric and underscore characters.',
    });
  });

  test("precedence: more segments (/:all* has one, / none), then static > :param > *, then method-specific, then by path", () => {
    const order = table({
      "[[all]].js": ["onRequest"],
      "users/[id].js": ["onRequest"],
      "users/me.js": ["onRequest"],
      "users/[id]/posts.js": ["onRequest"],
      "users/[[rest]].js": ["onRequest"],
      "api/item.js": ["onRequest", "onRequestGet"],
      "index.js": ["onRequest"],
    }).map((r) => `${r.method || "*"} ${r.routePath}`);
    assert.deepEqual(order, ["* /users/:id/posts", "GET /api/item", "* /api/item", "* /users/me", "* /users/:id", "* /users/:rest*", "* /:all*", "* /"]);
  });

  test("a folder's index and middleware merge into one entry; for foo.js and foo/index.js the later file wins", () => {
    const merged = table({ "admin/index.js": ["onRequest"], "admin/_middleware.js": ["onRequest"], "foo.js": ["onRequest"], "foo/index.js": ["onRequest"] });
    assert.deepEqual(merged.find((r) => r.routePath === "/admin"), { routePath: "/admin", mountPath: "/admin", method: "", module: ["admin/index.js:onRequest"], middleware: ["admin/_middleware.js:onRequest"] });
    assert.deepEqual(merged.find((r) => r.routePath === "/foo")?.module, ["foo/index.js:onRequest"]);
  });
});
