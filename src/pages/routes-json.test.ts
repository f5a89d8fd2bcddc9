import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseRoutesJson, routesFilter } from "./routes-json.js";

const spec = (include: string[], exclude: string[] = []) => JSON.stringify({ version: 1, include, exclude });

describe("_routes.json", () => {
  test("include and exclude: /x/* also matches /x, rules without * tolerate a trailing slash, * crosses segments", () => {
    const filter = routesFilter(parseRoutesJson(spec(["/api/*", "/exact", "/v*/items"], ["/api/public/*", "/api/health"]), "_routes.json"));
    const to = (p: string) => filter.toWorker(p);
    assert.deepEqual(
      ["/api", "/api/x/y", "/exact", "/exact/", "/v1/items", "/v1/b/items"].map(to),
      [true, true, true, true, true, true],
    );
    assert.deepEqual(
      ["/api/public/doc.txt", "/api/public", "/api/health", "/exact.txt", "/exactly", "/v1/items/x", "/API/x", "/"].map(to),
      [false, false, false, false, false, false, false, false],
    );
    assert.equal(to("/api/healthz"), true);
  });

  test("dots are literal", () => {
    const filter = routesFilter(parseRoutesJson(spec(["/a.b"]), "f"));
    assert.equal(filter.toWorker("/a.b"), true);
    assert.equal(filter.toWorker("/axb"), false);
  });

  test("invalid files are rejected with wrangler's messages", () => {
    const invalid: [string, RegExp][] = [
      ["{", /It is not valid JSON/],
      [JSON.stringify({ version: 2, include: ["/*"], exclude: [] }), /Please make sure the JSON object has the following format/],
      [spec([]), /Routes must have at least 1 include rule/],
      [spec(["api"]), /All rules must start with '\/'/],
      [spec(["/api/*", "/api/foo"]), /Overlapping rules found/],
      [spec(["/" + "a".repeat(100)]), /over the 100 character limit/],
      [spec(Array.from({ length: 101 }, (_, i) => `/r${i}`)), /over the 100 rule limit/],
    ];
    for (const [text, message] of invalid) {
      assert.throws(() => parseRoutesJson(text, "/p/_routes.json"), (e: Error) => e.message.startsWith("Invalid _routes.json file found at: /p/_routes.json\n") && message.test(e.message), text);
    }
  });
});
