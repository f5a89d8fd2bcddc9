import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { openSqliteQueueStore, queueDir } from "../../bindings/queues/index.js";
import { isHearthError } from "../../shared/errors.js";
import { resolveStateRoot } from "../../shared/paths.js";
import { registerQueuesCommands } from "./queues.js";
import { testCli } from "../../../test/helpers/cli.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

const WRANGLER_TOML = `
name = "queues-cli-test"
compatibility_date = "2026-04-01"

[[queues.producers]]
binding = "JOBS"
queue = "jobs"

[[queues.consumers]]
queue = "jobs"
max_batch_size = 20
dead_letter_queue = "jobs-dlq"

[[queues.producers]]
binding = "IDLE"
queue = "idle"
`;

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queues-cli-"));
  tempRoots.push(dir);
  fs.writeFileSync(path.join(dir, "wrangler.toml"), WRANGLER_TOML);
  return dir;
}

/** Puts messages in a queue of the project's state: `inFlight` of them leased, `dead` dead-lettered. */
async function seed(dir: string, queue: string, options: { waiting: number; delayed?: number; inFlight?: number; dead?: number }): Promise<void> {
  const store = openSqliteQueueStore(queueDir(resolveStateRoot(dir, undefined, dir), queue));
  const body = new TextEncoder().encode("12345");
  const total = options.waiting + (options.inFlight ?? 0) + (options.dead ?? 0);
  await store.enqueue(Array.from({ length: total }, () => ({ body, contentType: "text" as const, delaySeconds: 0 })));
  const dead = await store.lease(options.dead ?? 0, "1-test");
  await store.settle("1-test", { deadLettered: dead.map((m) => m.id) });
  if (options.inFlight) await store.lease(options.inFlight, "1-test");
  if (options.delayed) await store.enqueue(Array.from({ length: options.delayed }, () => ({ body, contentType: "text" as const, delaySeconds: 600 })));
  await store.close();
}

/** Runs `hearth <args>` in-process with only the queues commands registered; returns what it printed. */
async function run(cwd: string, args: string[], answer: string | null = null): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const cli = testCli();
  registerQueuesCommands(cli, {
    cwd,
    ask: async () => answer,
    output: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
  });
  await cli.parseAsync(args);
  return { stdout, stderr };
}

describe("hearth queues", () => {
  it("list shows configured queues and queues with local data", async () => {
    const dir = project();
    await seed(dir, "jobs", { waiting: 3, inFlight: 2, dead: 1 });
    await seed(dir, "jobs-dlq", { waiting: 1 });
    const { stdout } = await run(dir, ["queues", "list"]);
    const rows = stdout.split("\n").filter((l) => l.startsWith("│")).map((l) => l.split("│").slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(rows, [
      ["name", "producers", "consumers", "backlog", "in_flight", "dead_lettered"],
      ["idle", "1", "0", "0", "0", "0"],
      ["jobs", "1", "1", "3", "2", "1"],
      ["jobs-dlq", "0", "0", "1", "0", "0"],
    ]);
    assert.equal(fs.existsSync(queueDir(resolveStateRoot(dir, undefined, dir), "idle")), false, "listing creates nothing");
  });

  it("info shows producers, consumer settings and the messages", async () => {
    const dir = project();
    await seed(dir, "jobs", { waiting: 2, delayed: 1, inFlight: 1, dead: 2 });
    const { stdout } = await run(dir, ["queues", "info", "jobs"]);
    assert.match(stdout, /^Queue Name: jobs$/m);
    assert.match(stdout, /^Local Data: \.hearth\/state\/queues\/jobs$/m);
    assert.match(stdout, /^Producers: worker:queues-cli-test \(binding JOBS\)$/m);
    assert.match(
      stdout,
      /^Consumers: worker:queues-cli-test \(max_batch_size 20, max_batch_timeout 5 s, max_retries 3, retry_delay 0 s, max_concurrency 250, dead_letter_queue jobs-dlq\)$/m,
    );
    assert.match(stdout, /^Backlog: 3 message\(s\) waiting, 1 of them delayed \(20 bytes in all\)$/m);
    assert.match(stdout, /^In Flight: 1$/m);
    assert.match(stdout, /^Dead-Lettered: 2$/m);
    assert.match(stdout, /^Oldest Message: \d{4}-/m);
  });

  it("info of a configured queue without data shows zeros; an unknown queue is an error", async () => {
    const dir = project();
    const { stdout } = await run(dir, ["queues", "info", "idle"]);
    assert.match(stdout, /Local Data: \(none yet\)/);
    assert.match(stdout, /Backlog: 0 message\(s\)/);
    await assert.rejects(run(dir, ["queues", "info", "nope"]), (e) => isHearthError(e) && /Queue "nope" not found/.test(e.message));
  });

  it("purge deletes every message after the queue's name is typed, or with --force", async () => {
    const dir = project();
    await seed(dir, "jobs", { waiting: 4, inFlight: 1 });
    assert.match((await run(dir, ["queues", "purge", "jobs"], "wrong")).stdout, /Skipping purge/);
    await assert.rejects(run(dir, ["queues", "purge", "jobs"], null), (e) => isHearthError(e) && /Pass --force/.test(e.message));
    assert.match((await run(dir, ["queues", "purge", "jobs"], "jobs")).stdout, /Purged queue 'jobs': 5 message\(s\) deleted/);
    await seed(dir, "jobs", { waiting: 2 });
    assert.match((await run(dir, ["queues", "purge", "jobs", "--force"])).stdout, /2 message\(s\) deleted/);
    assert.match((await run(dir, ["queues", "info", "jobs"])).stdout, /Backlog: 0 message/);
  });
});
