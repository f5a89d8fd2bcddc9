import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(100);
  }
}

describe("watch mode", () => {
  let dir: string;
  let dev: DevServer;
  const body = async (p = "/") => (await dev.fetch(p)).text();
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "watched"\nmain = "src/index.js"\ncompatibility_date = "2026-04-01"\n[vars]\nWORD = "one"\n`,
      "src/index.js": `import { word } from "./word.js";\nexport default { fetch(req, env) { return new Response(word + " " + env.WORD); } };`,
      "src/word.js": `export const word = "first";`,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("editing an imported module rebuilds and swaps the isolate", async () => {
    assert.equal(await body(), "first one");
    fs.writeFileSync(path.join(dir, "src/word.js"), `export const word = "second";`);
    await until(async () => (await body()) === "second one");
  });

  test("a syntax error keeps the last good build serving and prints the error", async () => {
    fs.writeFileSync(path.join(dir, "src/word.js"), `export const word = ;`);
    await dev.waitForOutput(/Build failed/);
    assert.match(dev.output(), /Still serving the last good build/);
    assert.equal(await body(), "second one");
    fs.writeFileSync(path.join(dir, "src/word.js"), `export const word = "third";`);
    await until(async () => (await body()) === "third one");
  });

  test("editing the config reloads vars without restarting the process", async () => {
    const pid = dev.child.pid;
    fs.writeFileSync(path.join(dir, "wrangler.toml"), `name = "watched"\nmain = "src/index.js"\ncompatibility_date = "2026-04-01"\n[vars]\nWORD = "two"\n`);
    await until(async () => (await body()) === "third two");
    assert.equal(dev.child.pid, pid);
  });

  test("a broken config keeps the previous one serving", async () => {
    fs.writeFileSync(path.join(dir, "wrangler.toml"), `name = "watched"\nmain = [broken\n`);
    await dev.waitForOutput(/Still serving the previous configuration/);
    assert.equal(await body(), "third two");
  });
});

describe("--live-reload", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "live"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
      "index.js": `export default { fetch() { return new Response("<p>v1</p>", { headers: { "content-type": "text/html" } }); } };`,
    });
    dev = await startDev(dir, ["--live-reload"]);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("HTML gets the reload script, and open pages are told to reload after a rebuild", async () => {
    const html = await (await dev.fetch("/")).text();
    assert.match(html, /^<p>v1<\/p><script/);
    assert.match(html, /\/cdn-cgi\/mf\/reload/);
    const socket = new WebSocket(dev.url.replace("http:", "ws:") + "/cdn-cgi/mf/reload");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const message = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    fs.writeFileSync(path.join(dir, "index.js"), `export default { fetch() { return new Response("<p>v2</p>", { headers: { "content-type": "text/html" } }); } };`);
    assert.equal(await message, "reload");
    socket.close();
    assert.match(await (await dev.fetch("/")).text(), /^<p>v2<\/p>/);
  });
});
