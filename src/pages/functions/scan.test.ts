import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { makeProject, removeProject } from "../../../test/helpers/project.js";
import { compileRoutes, runsFunctions } from "./chain.js";
import { functionsEntrySource } from "./entry.js";
import { scanFunctions } from "./scan.js";

describe("scanning a functions folder", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeProject));
  const folder = (files: Record<string, string>) => {
    const dir = makeProject(files);
    dirs.push(dir);
    return dir;
  };

  test("TS and JS files, helpers without handlers, nested folders", async () => {
    const dir = folder({
      "index.ts": "export const onRequest = () => new Response('root');",
      "api/[id].js": "export function onRequestGet() {} export function onRequestPost() {}",
      "api/_middleware.tsx": "export const onRequest = [(c: any) => c.next()];",
      "lib/helper.ts": "export const format = (s: string) => s;",
      "README.md": "not code",
    });
    const routes = await scanFunctions(dir);
    assert.deepEqual(
      routes.map((r) => [r.method, r.routePath, r.mountPath, r.module ?? r.middleware]),
      [
        ["GET", "/api/:id", "/api", ["api/[id].js:onRequestGet"]],
        ["POST", "/api/:id", "/api", ["api/[id].js:onRequestPost"]],
        ["", "/api", "/api", ["api/_middleware.tsx:onRequest"]],
        ["", "/", "/", ["index.ts:onRequest"]],
      ],
    );
  });

  test("an invalid parameter name and a syntax error are build errors naming the file", async () => {
    await assert.rejects(scanFunctions(folder({ "[a-b].js": "export const onRequest = () => {};" })), /\[a-b\]\.js: Invalid Pages function route parameter - "\[a-b\]"/);
    await assert.rejects(scanFunctions(folder({ "bad.js": "export const onRequest = (;" })), /bad\.js/);
  });

  test("the generated entry imports each file once and lists the table in order", async () => {
    const dir = folder({ "a.js": "export const onRequest = 1; export const onRequestGet = 2;", "b/_middleware.js": "export const onRequest = 3;" });
    const source = functionsEntrySource(dir, await scanFunctions(dir));
    assert.equal(source.match(/^import \* as/gm)?.length, 2);
    assert.match(source, /routePath: "\/b", mountPath: "\/b", method: "", middlewares: \[m\d\["onRequest"\]\]/);
    assert.ok(source.indexOf('method: "GET"') < source.indexOf('routePath: "/a", mountPath: "/", method: ""'));
  });

  test("the host knows which requests run no Function", async () => {
    const dir = folder({ "api/item.js": "export const onRequestPost = 1;", "admin/_middleware.js": "export const onRequest = 1;" });
    const routes = compileRoutes((await scanFunctions(dir)).map((r) => ({ ...r, middlewares: r.middleware ?? [], modules: r.module ?? [] })));
    assert.equal(runsFunctions(routes, "POST", "/api/item"), true);
    assert.equal(runsFunctions(routes, "GET", "/api/item"), false);
    assert.equal(runsFunctions(routes, "GET", "/admin/anything"), true);
    assert.equal(runsFunctions(routes, "GET", "/style.css"), false);
  });
});
