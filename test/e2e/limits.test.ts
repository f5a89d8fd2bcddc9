import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

describe("resource limits", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "limits"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n[limits]\ncpu_ms = 300\n`,
      "index.js": `
        let served = 0;
        export default {
          async fetch(request) {
            const { pathname } = new URL(request.url);
            if (pathname === "/loop") for (;;) {}
            if (pathname === "/oom") { const hoard = []; for (;;) hoard.push(new Array(1e6).fill(served)); }
            if (pathname === "/slow") await new Promise((r) => setTimeout(r, 800));
            return new Response("served " + ++served);
          },
        };
      `,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("an infinite loop is stopped with error 1102 while other requests are answered", async () => {
    const loop = dev.fetch("/loop");
    await new Promise((r) => setTimeout(r, 50));
    // Sent while the isolate is stuck: it must be answered by the replacement isolate.
    const meanwhile = dev.fetch("/");
    const looped = await loop;
    assert.equal(looped.status, 503);
    assert.match(await looped.text(), /Worker exceeded resource limits/);
    const other = await meanwhile;
    assert.equal(other.status, 200);
    assert.match(await other.text(), /^served \d+$/);
    assert.match(dev.output(), /exceeded its CPU time limit \(300 ms\)/);
  });

  test("waiting on timers is not CPU time", async () => {
    const res = await dev.fetch("/slow");
    assert.equal(res.status, 200);
  });

  test("a memory bomb is stopped with error 1102 and the next request is served", async () => {
    const bomb = await dev.fetch("/oom");
    assert.equal(bomb.status, 503);
    assert.match(await bomb.text(), /Worker exceeded resource limits/);
    const next = await dev.fetch("/");
    assert.equal(next.status, 200);
    assert.match(dev.output(), /exceeded its memory limit \(128 MB\)/);
  });
});
