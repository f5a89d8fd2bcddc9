import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRuntime, type HearthRuntime } from "../../src/index.js";
import { makeProject, removeProject } from "../helpers/project.js";

describe("library API", () => {
  let dir: string;
  let runtime: HearthRuntime;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "lib"\nmain = "index.ts"\ncompatibility_date = "2026-04-01"\n[vars]\nNAME = "lib"\n`,
      "index.ts": `
        let ticks = 0;
        export default {
          async fetch(request: Request, env: { NAME: string }) {
            if (request.method === "POST") return new Response((await request.text()).toUpperCase());
            return new Response(env.NAME + " " + ticks, { headers: { "x-lib": "1" } });
          },
          async scheduled(controller: { cron: string }) { ticks++; },
        };
      `,
    });
    runtime = await createRuntime({ cwd: dir });
  });
  after(async () => {
    await runtime?.dispose();
    removeProject(dir);
  });

  test("dispatchFetch reaches the fetch handler", async () => {
    const res = await runtime.dispatchFetch("http://example.com/");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-lib"), "1");
    assert.equal(await res.text(), "lib 0");
    const posted = await runtime.dispatchFetch("http://example.com/", { method: "POST", body: "shout" });
    assert.equal(await posted.text(), "SHOUT");
  });

  test("scheduled runs the scheduled handler", async () => {
    assert.deepEqual(await runtime.scheduled({ cron: "* * * * *" }), { outcome: "ok", noRetry: false, error: undefined });
    assert.equal(await (await runtime.dispatchFetch("http://example.com/")).text(), "lib 1");
  });

  test("getEnv gives the bindings in Node", () => {
    assert.equal(runtime.getEnv().NAME, "lib");
  });

  test("listen serves the Worker over HTTP", async () => {
    const url = await runtime.listen({ port: 0 });
    const res = await fetch(url);
    assert.equal(await res.text(), "lib 1");
  });
});
