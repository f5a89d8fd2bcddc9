import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const probe = `
  export default {
    async fetch(request) {
      return Response.json({
        process: typeof process, Buffer: typeof Buffer, global: typeof global, setImmediate: typeof setImmediate,
        __dirname: typeof __dirname, nodeKeys: Object.keys(globalThis).filter((k) => ["process", "Buffer", "global", "setImmediate"].includes(k)),
        userAgent: navigator.userAgent, URLPattern: typeof URLPattern, scheduler: typeof scheduler.wait,
        webApis: [typeof fetch, typeof Request, typeof Response, typeof Headers, typeof URL, typeof ReadableStream, typeof TextEncoder,
                  typeof crypto.subtle, typeof crypto.randomUUID, typeof structuredClone, typeof atob, typeof AbortController,
                  typeof EventTarget, typeof CompressionStream, typeof WebSocket],
        timer: typeof setTimeout(() => {}, 0),
        cf: typeof request.cf === "object" && request.cf !== null ? request.cf.colo : null,
        self: self === globalThis,
      });
    },
  };
`;

describe("the Workers global scope", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({ "wrangler.toml": `name = "scope"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`, "index.js": probe });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("has the Web APIs Workers have, and no Node globals", async () => {
    const scope = (await (await dev.fetch("/")).json()) as Record<string, unknown>;
    assert.equal(scope.process, "undefined");
    assert.equal(scope.Buffer, "undefined");
    assert.equal(scope.global, "undefined");
    assert.equal(scope.setImmediate, "undefined");
    assert.equal(scope.__dirname, "undefined");
    assert.deepEqual(scope.nodeKeys, []);
    assert.equal(scope.userAgent, "Cloudflare-Workers");
    assert.equal(scope.URLPattern, "function");
    assert.equal(scope.scheduler, "function");
    assert.deepEqual(new Set(scope.webApis as string[]), new Set(["function", "object"]));
    assert.equal(scope.timer, "number");
    assert.equal(scope.cf, "DFW");
    assert.equal(scope.self, true);
  });
});

describe("with nodejs_compat", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "compat"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\ncompatibility_flags = ["nodejs_compat"]\n`,
      "index.js": `import { Buffer as B } from "node:buffer";\nexport default { fetch() { return Response.json({ process: typeof process, Buffer: typeof Buffer, imported: B.from("hi").toString("base64") }); } };`,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("node:* imports and the Node globals are available", async () => {
    assert.deepEqual(await (await dev.fetch("/")).json(), { process: "object", Buffer: "function", imported: "aGk=" });
  });
});

test("without nodejs_compat a node:* import is a clear build error", async () => {
  const dir = makeProject({
    "wrangler.toml": `name = "nocompat"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
    "index.js": `import fs from "node:fs";\nexport default { fetch() { return new Response(typeof fs); } };`,
  });
  try {
    await assert.rejects(startDev(dir), (error: Error) => {
      assert.match(error.message, /Could not resolve "node:fs"/);
      assert.match(error.message, /nodejs_compat/);
      return true;
    });
  } finally {
    removeProject(dir);
  }
});

describe("global-scope restrictions", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    const worker = `
      const atTopLevel = {};
      for (const [name, attempt] of Object.entries({
        setTimeout: () => setTimeout(() => {}, 1),
        setInterval: () => setInterval(() => {}, 1),
        randomUUID: () => crypto.randomUUID(),
        getRandomValues: () => crypto.getRandomValues(new Uint8Array(4)),
        mathRandom: () => Math.random(),
      })) {
        try { attempt(); atTopLevel[name] = "allowed"; } catch (e) { atTopLevel[name] = e.message; }
      }
      let fetchAtTopLevel = "pending";
      fetch("http://127.0.0.1:9/").then(() => (fetchAtTopLevel = "allowed"), (e) => (fetchAtTopLevel = e.message));
      export default {
        async fetch() {
          return Response.json({ atTopLevel, fetchAtTopLevel, inHandler: [typeof crypto.randomUUID(), typeof setTimeout(() => {}, 1)] });
        },
      };
    `;
    dir = makeProject({ "wrangler.toml": `name = "scope-rules"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`, "index.js": worker });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("timers, random values and fetch throw workerd's error while the module is evaluated, and work in a handler", async () => {
    const body = (await (await dev.fetch("/")).json()) as { atTopLevel: Record<string, string>; fetchAtTopLevel: string; inHandler: string[] };
    const disallowed = /^Disallowed operation called within global scope\. Asynchronous I\/O .* perform this operation within a handler\./;
    for (const name of ["setTimeout", "setInterval", "randomUUID", "getRandomValues"]) assert.match(body.atTopLevel[name]!, disallowed, name);
    assert.equal(body.atTopLevel.mathRandom, "allowed");
    assert.match(body.fetchAtTopLevel, disallowed);
    assert.deepEqual(body.inHandler, ["string", "number"]);
  });
});

describe("numeric timers", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    // Node's fetch (undici) keeps its clock with a timer it refreshes from the timer's own callback;
    // Workers' numeric timer ids must keep that working.
    const worker = `
      export default {
        async fetch() {
          let fired = 0;
          await new Promise((resolve) => {
            const id = setTimeout(() => {
              fired++;
              if (fired < 3) id.refresh();
              else resolve();
            }, 5);
          });
          return Response.json({ fired, type: typeof setTimeout(() => {}, 1) });
        },
      };
    `;
    dir = makeProject({ "wrangler.toml": `name = "timers"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`, "index.js": worker });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("a timer refreshed from its own callback fires again", async () => {
    assert.deepEqual(await (await dev.fetch("/")).json(), { fired: 3, type: "number" });
  });
});
