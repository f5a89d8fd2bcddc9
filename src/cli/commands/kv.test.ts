import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { closeKvNamespaces, createKvNamespace, kvDescriptors } from "../../bindings/kv/index.js";
import { readConfig } from "../../config/index.js";
import { fixedClock } from "../../shared/clock.js";
import { isHearthError } from "../../shared/errors.js";
import { resolveStateRoot } from "../../shared/paths.js";
import { registerKvCommands } from "./kv.js";
import { testCli } from "../../../test/helpers/cli.js";

const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => closeKvNamespaces());

const WRANGLER_TOML = `
name = "kv-cli-test"
compatibility_date = "2026-04-01"

[[kv_namespaces]]
binding = "KV"
id = "11111111111111111111111111111111"

[[kv_namespaces]]
binding = "SESSIONS"
id = "sessions-prod"
preview_id = "sessions-preview"

[env.staging]
kv_namespaces = [ { binding = "STAGED", id = "staging-ns" } ]
`;

function project(toml: string | null = WRANGLER_TOML): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-kv-cli-"));
  tempRoots.push(dir);
  if (toml !== null) fs.writeFileSync(path.join(dir, "wrangler.toml"), toml);
  return dir;
}

/** Runs `hearth <args>` in-process with only the kv commands registered; returns what it printed. */
async function run(cwd: string, args: string[]): Promise<{ stdout: string; bytes: Uint8Array[]; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const bytes: Uint8Array[] = [];
  const cli = testCli();
  registerKvCommands(cli, {
    cwd,
    clock: fixedClock(NOW_MS),
    output: {
      stdout: (chunk) => {
        if (typeof chunk === "string") stdout += chunk;
        else bytes.push(chunk);
      },
      stderr: (text) => void (stderr += text),
    },
  });
  await cli.parseAsync(args);
  return { stdout, bytes, stderr };
}

async function commandError(cwd: string, args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(run(cwd, args), (e: unknown) => {
    assert.ok(isHearthError(e), `expected a HearthError, got ${String(e)}`);
    assert.equal(e.code === "ERR_COMMAND" || e.code === "ERR_FLAG", true, e.code);
    assert.match(e.message, pattern);
    return true;
  });
}

/** The namespaces `hearth dev` would bind for the project, opened on the same state. */
function runtimeEnv(dir: string, persistTo?: string) {
  const loaded = readConfig({ cwd: dir });
  const state = resolveStateRoot(loaded.dir, persistTo, dir);
  const clock = fixedClock(NOW_MS);
  return Object.fromEntries(
    kvDescriptors(loaded.config.kv_namespaces ?? [], state).map((d) => [d.name, createKvNamespace(d, { clock })]),
  );
}

describe("hearth kv key", () => {
  it("put, get, list and delete through the CLI share the runtime's state", async () => {
    const dir = project();
    const put = await run(dir, ["kv", "key", "put", "greeting", "hello", "--binding", "KV"]);
    assert.equal(put.stdout, 'Writing the value "hello" to key "greeting" on namespace 11111111111111111111111111111111.\n');
    await run(dir, ["kv", "key", "put", "user:1", "Ada", "--binding", "KV", "--metadata", '{"role":"admin"}', "--ttl", "3600", "--local"]);
    await run(dir, ["kv", "key", "put", "user:2", "007", "--binding", "KV", "--expiration", String(NOW_S + 600)]);

    assert.equal((await run(dir, ["kv", "key", "get", "greeting", "--binding", "KV", "--text"])).stdout, "hello\n");
    const raw = await run(dir, ["kv", "key", "get", "user:2", "--binding", "KV"]);
    assert.equal(raw.stdout, "");
    assert.equal(Buffer.concat(raw.bytes).toString(), "007", "a value that looks like a number stays a string");
    assert.equal((await run(dir, ["kv", "key", "get", "missing", "--binding", "KV"])).stdout, "Value not found\n");

    const listed = await run(dir, ["kv", "key", "list", "--binding", "KV"]);
    assert.deepEqual(JSON.parse(listed.stdout), [
      { name: "greeting" },
      { name: "user:1", expiration: NOW_S + 3600, metadata: { role: "admin" } },
      { name: "user:2", expiration: NOW_S + 600 },
    ]);
    assert.equal(listed.stdout, JSON.stringify(JSON.parse(listed.stdout), undefined, 2) + "\n", "printed like wrangler");
    const users = await run(dir, ["kv", "key", "list", "--binding", "KV", "--prefix", "user:"]);
    assert.deepEqual(JSON.parse(users.stdout).map((k: { name: string }) => k.name), ["user:1", "user:2"]);

    // The runtime sees exactly what the CLI wrote …
    const env = runtimeEnv(dir);
    assert.equal(await env["KV"]!.get("greeting"), "hello");
    assert.deepEqual(await env["KV"]!.getWithMetadata("user:1"), { value: "Ada", metadata: { role: "admin" }, cacheStatus: null });
    // … and the CLI sees what the runtime wrote.
    await env["KV"]!.put("from-runtime", "written by a Worker");
    await closeKvNamespaces();
    assert.equal((await run(dir, ["kv", "key", "get", "from-runtime", "--binding", "KV", "--text"])).stdout, "written by a Worker\n");

    const deleted = await run(dir, ["kv", "key", "delete", "greeting", "--binding", "KV"]);
    assert.equal(deleted.stdout, 'Deleting the key "greeting" on namespace 11111111111111111111111111111111.\n');
    assert.equal(await runtimeEnv(dir)["KV"]!.get("greeting"), null);
  });

  it("puts a file's bytes with --path", async () => {
    const dir = project();
    const bytes = Buffer.from([0, 1, 127, 128, 255]);
    fs.writeFileSync(path.join(dir, "blob.bin"), bytes);
    const out = await run(dir, ["kv", "key", "put", "bin", "--path", "blob.bin", "--namespace-id", "raw"]);
    assert.equal(out.stdout, 'Writing the contents of blob.bin to the key "bin" on namespace raw.\n');
    const got = await run(dir, ["kv", "key", "get", "bin", "--namespace-id", "raw"]);
    assert.deepEqual([...Buffer.concat(got.bytes)], [0, 1, 127, 128, 255]);
  });

  it("uses the namespace hearth dev uses: preview_id unless --preview false", async () => {
    const dir = project();
    await run(dir, ["kv", "key", "put", "k", "default", "--binding", "SESSIONS"]);
    await run(dir, ["kv", "key", "put", "k", "prod", "--binding", "SESSIONS", "--preview", "false"]);
    assert.equal((await run(dir, ["kv", "key", "get", "k", "--binding", "SESSIONS", "--preview", "--text"])).stdout, "default\n");
    assert.equal((await run(dir, ["kv", "key", "get", "k", "--namespace-id", "sessions-prod", "--text"])).stdout, "prod\n");
    assert.equal(await runtimeEnv(dir)["SESSIONS"]!.get("k"), "default");
  });

  it("honours --persist-to (relative to the cwd), -c and -e", async () => {
    const dir = project(null);
    const configDir = path.join(dir, "app");
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, "wrangler.toml"), WRANGLER_TOML);
    await run(dir, ["kv", "key", "put", "k", "v", "-c", "app/wrangler.toml", "-e", "staging", "--binding", "STAGED", "--persist-to", "state"]);
    assert.ok(fs.existsSync(path.join(dir, "state", "kv", "staging-ns", "db.sqlite")));
    assert.equal(
      (await run(dir, ["kv", "key", "get", "k", "--config", "app/wrangler.toml", "--env", "staging", "--binding", "STAGED", "--persist-to", "state", "--text"])).stdout,
      "v\n",
    );
    // Without --persist-to the state is <config dir>/.hearth/state.
    await run(dir, ["kv", "key", "put", "k2", "v2", "-c", "app/wrangler.toml", "--binding", "KV"]);
    assert.ok(fs.existsSync(path.join(configDir, ".hearth", "state", "kv", "11111111111111111111111111111111", "db.sqlite")));
  });

  it("reports what was wrong as ERR_COMMAND", async () => {
    const dir = project();
    await commandError(dir, ["kv", "key", "get", "k", "--binding", "NOPE"], /No KV namespace with binding "NOPE" in .*wrangler\.toml\. Known bindings: KV, SESSIONS\./);
    await commandError(dir, ["kv", "key", "get", "k"], /--binding NAME .* or --namespace-id ID/);
    await commandError(dir, ["kv", "key", "get", "k", "--binding", "KV", "--namespace-id", "x"], /either --binding or --namespace-id/);
    await commandError(dir, ["kv", "key", "get", "k", "--binding", "KV", "--preview"], /"KV" .* has no preview_id/);
    await commandError(dir, ["kv", "key", "get", "k", "--binding", "KV", "--remote"], /--remote is not supported/);
    await commandError(dir, ["kv", "key", "put", "k", "--binding", "KV"], /Give the value to write/);
    await commandError(dir, ["kv", "key", "put", "k", "v", "--binding", "KV", "--metadata", "{oops"], /--metadata must be JSON/);
    await commandError(dir, ["kv", "key", "put", "", "v", "--binding", "KV"], /Key name cannot be empty\./);
    await commandError(dir, ["kv", "key", "put", "k", "v", "--binding", "KV", "--ttl", "30"], /KV PUT failed: 400 Invalid expiration_ttl of 30\. Expiration TTL must be at least 60\./);
    await commandError(project(null), ["kv", "key", "get", "k", "--binding", "KV"], /no wrangler config file was found/);
    await commandError(project('name = "x"\n'), ["kv", "key", "get", "k", "--binding", "KV"], /No KV namespaces are configured/);
  });
});

describe("hearth kv bulk", () => {
  it("puts, gets and deletes from JSON files", async () => {
    const dir = project();
    fs.writeFileSync(
      path.join(dir, "put.json"),
      JSON.stringify([
        { key: "plain", value: "text" },
        { key: "b64", value: Buffer.from([0, 255, 10]).toString("base64"), base64: true },
        { key: "meta", value: "m", metadata: { tags: ["x"] }, expiration_ttl: 120 },
        { key: "abs", value: "a", expiration: NOW_S + 3600, extra: 1 },
      ]),
    );
    const put = await run(dir, ["kv", "bulk", "put", "put.json", "--binding", "KV"]);
    assert.equal(put.stdout, "Success!\n");
    assert.match(put.stderr, /The item at index 3 contains unexpected properties: \["extra"\]/);

    const env = runtimeEnv(dir);
    assert.deepEqual([...new Uint8Array((await env["KV"]!.get("b64", "arrayBuffer"))!)], [0, 255, 10]);
    assert.deepEqual((await env["KV"]!.list()).keys, [
      { name: "abs", expiration: NOW_S + 3600 },
      { name: "b64" },
      { name: "meta", expiration: NOW_S + 120, metadata: { tags: ["x"] } },
      { name: "plain" },
    ]);
    await closeKvNamespaces();

    fs.writeFileSync(path.join(dir, "keys.json"), JSON.stringify(["plain", { name: "meta" }, "missing"]));
    const got = await run(dir, ["kv", "bulk", "get", "keys.json", "--binding", "KV"]);
    assert.ok(got.stdout.endsWith("\n\nSuccess!\n"));
    assert.deepEqual(JSON.parse(got.stdout.slice(0, -"\nSuccess!\n".length)), {
      plain: { value: "text" },
      meta: { value: "m" },
      missing: { value: null },
    });

    assert.equal((await run(dir, ["kv", "bulk", "delete", "keys.json", "--binding", "KV", "-f"])).stdout, "Success!\n");
    assert.deepEqual(JSON.parse((await run(dir, ["kv", "key", "list", "--binding", "KV"])).stdout), [
      { name: "abs", expiration: NOW_S + 3600 },
      { name: "b64" },
    ]);
  });

  it("rejects malformed files naming the item", async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify([{ key: "ok", value: "v" }, { key: 1, value: "v" }]));
    await commandError(dir, ["kv", "bulk", "put", "bad.json", "--binding", "KV"], /The item at index 1 is \{"key":1,"value":"v"\}/);
    fs.writeFileSync(path.join(dir, "obj.json"), "{}");
    await commandError(dir, ["kv", "bulk", "put", "obj.json", "--binding", "KV"], /Expected an array of key-value objects but got type "object"/);
    fs.writeFileSync(path.join(dir, "broken.json"), "[");
    await commandError(dir, ["kv", "bulk", "delete", "broken.json", "--binding", "KV"], /broken\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, "nums.json"), "[1]");
    await commandError(dir, ["kv", "bulk", "delete", "nums.json", "--binding", "KV"], /The item at index 0 is type: "number"/);
    await commandError(dir, ["kv", "bulk", "put", "absent.json", "--binding", "KV"], /Could not read absent\.json/);
    fs.writeFileSync(path.join(dir, "badkey.json"), JSON.stringify([{ key: "fine", value: "v" }, { key: "..", value: "v" }]));
    await commandError(dir, ["kv", "bulk", "put", "badkey.json", "--binding", "KV"], /Item 1 \(key ".."\) .* The 1 item\(s\) before it were written: "\.\." is not allowed as a key name\./);
  });
});

describe("hearth kv namespace list", () => {
  it("lists the config's namespaces and the ones with data on disk", async () => {
    const dir = project();
    await run(dir, ["kv", "key", "put", "k", "v", "--binding", "KV"]);
    await run(dir, ["kv", "key", "put", "k", "v", "--namespace-id", "orphan/ns"]);
    const state = path.join(dir, ".hearth", "state", "kv");
    const out = await run(dir, ["kv", "namespace", "list"]);
    assert.deepEqual(JSON.parse(out.stdout), [
      { id: "11111111111111111111111111111111", title: "KV", binding: "KV", path: path.join(state, "11111111111111111111111111111111"), has_data: true },
      { id: "sessions-preview", title: "SESSIONS", binding: "SESSIONS", path: path.join(state, "sessions-preview"), has_data: false },
      { id: "orphan/ns", title: "orphan/ns", path: path.join(state, "orphan%2Fns"), has_data: true },
    ]);
  });
});
