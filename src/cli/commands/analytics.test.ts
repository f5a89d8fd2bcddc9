import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { analyticsEngineDir, openSqliteAnalyticsStore } from "../../bindings/analytics-engine/index.js";
import { isHearthError } from "../../shared/errors.js";
import { resolveStateRoot } from "../../shared/paths.js";
import { registerAnalyticsCommands } from "./analytics.js";
import { testCli } from "../../../test/helpers/cli.js";

const tempRoots: string[] = [];
after(() => tempRoots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-analytics-cli-"));
  tempRoots.push(dir);
  fs.writeFileSync(path.join(dir, "wrangler.toml"), 'name = "ae-cli"\ncompatibility_date = "2026-04-01"\n');
  return dir;
}

function seed(stateRoot: string, dataset: string, values: number[]): void {
  const store = openSqliteAnalyticsStore(analyticsEngineDir(stateRoot));
  store.append(values.map((value, i) => ({ dataset, timestamp: 1_700_000_000_000 + i * 1000, index: "", blobs: [value % 2 ? "odd" : "even"], doubles: [value] })));
  store.close();
}

/** Runs `hearth <args>` in-process with only the analytics commands registered; returns what it printed. */
async function run(cwd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const cli = testCli();
  registerAnalyticsCommands(cli, { cwd, output: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) } });
  await cli.parseAsync(args);
  return { stdout, stderr };
}

describe("hearth analytics sql", () => {
  it("prints the SQL API's JSON for a query over the project's state", async () => {
    const dir = project();
    seed(resolveStateRoot(dir, undefined, dir), "events", [1, 2, 3, 4, 5]);
    const { stdout } = await run(dir, ["analytics", "sql", "SELECT blob1 AS parity, sum(double1) AS total FROM events GROUP BY parity ORDER BY parity"]);
    const body = JSON.parse(stdout) as { data: unknown[]; rows: number };
    assert.deepEqual(body.data, [
      { parity: "even", total: 6 },
      { parity: "odd", total: 9 },
    ]);
    assert.equal(body.rows, 2);
  });

  it("reads the query from --file and the state from --persist-to", async () => {
    const dir = project();
    seed(path.join(dir, "elsewhere"), "metrics", [10, 20]);
    fs.writeFileSync(path.join(dir, "q.sql"), "SELECT double1 FROM metrics ORDER BY double1 DESC FORMAT TabSeparated\n");
    const { stdout } = await run(dir, ["analytics", "sql", "--file", "q.sql", "--persist-to", "elsewhere"]);
    assert.equal(stdout, "20\n10\n");
  });

  it("answers SHOW TABLES on a project with no data yet", async () => {
    const { stdout } = await run(project(), ["analytics", "sql", "SHOW TABLES FORMAT JSONEachRow"]);
    assert.equal(stdout.trim(), "");
  });

  it("reports a bad query, a missing query and --remote as errors that name the problem", async () => {
    const dir = project();
    const fails = async (args: string[], message: RegExp) =>
      assert.rejects(run(dir, args), (e: unknown) => isHearthError(e) && message.test(e.message));
    await fails(["analytics", "sql", "SELECT count() FROM a UNION ALL SELECT count() FROM b"], /UNION is not supported/);
    await fails(["analytics", "sql"], /Say which query to run/);
    await fails(["analytics", "sql", "SELECT 1", "--file", "q.sql"], /either as an argument or with --file/);
    await fails(["analytics", "sql", "--file", "missing.sql"], /Could not read the query file .*missing\.sql/);
    await fails(["analytics", "sql", "SELECT 1", "--remote"], /--remote is not supported/);
  });
});
