import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DurableObject } from "../../runtime/cloudflare-workers.js";
import { ObjectEngine } from "./engine.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("an idle object is evicted: its constructor runs again on next use and its storage is kept", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-do-engine-"));
  let constructed = 0;
  class Counter extends DurableObject {
    constructor(ctx: unknown, env: unknown) {
      super(ctx, env);
      constructed++;
    }
    async bump() {
      const storage = (this.ctx as { storage: { get(k: string): Promise<number | undefined>; put(k: string, v: number): Promise<void> } }).storage;
      const next = ((await storage.get("n")) ?? 0) + 1;
      await storage.put("n", next);
      return next;
    }
  }
  const engine = new ObjectEngine({
    hosted: { className: "Counter", sqlite: true, dir },
    scriptName: "worker",
    env: {},
    objectClass: () => Counter as unknown as new (state: unknown, env: unknown) => Record<string, unknown>,
    hmac: (key, data) => new Uint8Array(crypto.createHmac("sha256", key).update(data).digest()),
    log: () => {},
    idleEvictionMs: 100,
  });
  try {
    const channel = engine.channel(engine.ids.fromName("a"));
    assert.equal(await channel.call("bump", []), 1);
    assert.equal(await channel.call("bump", []), 2);
    assert.equal(constructed, 1, "one live instance while in use");
    await sleep(350);
    assert.equal(await channel.call("bump", []), 3, "storage survives eviction");
    assert.equal(constructed, 2, "the constructor ran again after eviction");
  } finally {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
