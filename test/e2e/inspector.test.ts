import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { freePort, startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const PROJECT = {
  "wrangler.toml": `name = "inspect-me"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
  "index.js": `export default { fetch() { return new Response("ok"); } };`,
};

test("--inspector-port opens Node's inspector, which lists the process as a debug target", async () => {
  const dir = makeProject(PROJECT);
  const port = await freePort();
  const dev = await startDev(dir, ["--inspector-port", String(port)]);
  try {
    assert.equal(await (await dev.fetch("/")).text(), "ok");
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
    assert.equal(targets[0]?.type, "node");
    assert.match(targets[0]!.webSocketDebuggerUrl, new RegExp(`^ws://127\\.0\\.0\\.1:${port}/`));
    assert.match(dev.output(), new RegExp(`Debugger listening on ws://127\\.0\\.0\\.1:${port}/`));
  } finally {
    await dev.stop();
    removeProject(dir);
  }
});

test("--inspector-port on a port in use is a clear error", async () => {
  const dir = makeProject(PROJECT);
  const blocker = net.createServer();
  const port = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as net.AddressInfo).port)));
  try {
    await assert.rejects(startDev(dir, ["--inspector-port", String(port)], { readyTimeoutMs: 10_000 }), (error: Error) => {
      assert.match(error.message, new RegExp(`Could not open the inspector on port ${port}: the port is in use\\.`));
      return true;
    });
  } finally {
    blocker.close();
    removeProject(dir);
  }
});
