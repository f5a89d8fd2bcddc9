/**
 * Analytics Engine end to end: a Worker under `hearth dev` writes data points; the SQL API on the
 * same server and `hearth analytics sql` read them back from the state folder, and their answers
 * are compared with what the test computes from the points it asked the Worker to write.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { HEARTH_BIN, startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const WRANGLER_TOML = `
name = "ae-e2e"
main = "index.js"
compatibility_date = "2026-04-01"

[[analytics_engine_datasets]]
binding = "REQUESTS"
dataset = "requests"

[[analytics_engine_datasets]]
binding = "EVENTS"
`;

/** POST /write with a JSON array of points writes each to REQUESTS; /bad tries a point over the limits. */
const WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/write") {
      for (const point of await request.json()) env.REQUESTS.writeDataPoint(point);
      return new Response("ok");
    }
    if (url.pathname === "/event") {
      env.EVENTS.writeDataPoint({ blobs: ["signup"], doubles: [1] });
      return new Response("ok");
    }
    if (url.pathname === "/bad") {
      try {
        env.REQUESTS.writeDataPoint({ indexes: ["a", "b"] });
        return new Response("no error");
      } catch (e) {
        return new Response(e.name + ": " + e.message);
      }
    }
    return new Response("not found", { status: 404 });
  },
};
`;

const PATHS = ["/", "/about", "/api/users", "/api/items", "/login"];
const CUSTOMERS = ["acme", "globex", "initech"];

/** Deterministic points: path in blob1, method in blob2, latency in double1, bytes in double2, customer as index. */
function makePoints(count: number) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, () => ({
    blobs: [PATHS[Math.floor(random() * PATHS.length)]!, random() < 0.7 ? "GET" : "POST"],
    doubles: [Math.round(random() * 5000) / 10, Math.floor(random() * 10_000)],
    indexes: [CUSTOMERS[Math.floor(random() * CUSTOMERS.length)]!],
  }));
}

describe("Analytics Engine: writeDataPoint and the SQL API", () => {
  let dir: string;
  let dev: DevServer;
  const points = makePoints(2_000);
  const sqlUrl = () => `${dev.url}/cdn-cgi/hearth/client/v4/accounts/local/analytics_engine/sql`;
  const sql = async (query: string) => {
    const response = await fetch(sqlUrl(), { method: "POST", body: query, headers: { authorization: "Bearer anything" } });
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };
  const json = async (query: string) => {
    const answer = await sql(query);
    assert.equal(answer.status, 200, answer.text);
    return JSON.parse(answer.text) as { meta: { name: string; type: string }[]; data: Record<string, unknown>[]; rows: number };
  };

  before(async () => {
    dir = makeProject({ "wrangler.toml": WRANGLER_TOML, "index.js": WORKER });
    dev = await startDev(dir);
    for (let i = 0; i < points.length; i += 200) {
      const response = await dev.fetch("/write", { method: "POST", body: JSON.stringify(points.slice(i, i + 200)) });
      assert.equal(await response.text(), "ok");
    }
    assert.equal(await (await dev.fetch("/event")).text(), "ok");
    // Points are committed once per event-loop turn of the isolate, after the response.
    for (let tries = 0; ; tries++) {
      const { data } = await json("SELECT count() AS n FROM requests");
      if (Number(data[0]!.n) === points.length) break;
      assert.ok(tries < 50, `only ${String(data[0]!.n)} of ${points.length} points arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await dev?.stop();
    if (dir) removeProject(dir);
  });

  it("shows the banner row and lists both datasets (the dataset defaults to the binding name)", async () => {
    assert.match(dev.output(), /env\.REQUESTS\s+requests\s+Analytics Engine Dataset/);
    const { data } = await json("SHOW TABLES");
    assert.deepEqual(data.map((row) => Object.values(row)[0]).sort(), ["EVENTS", "requests"]);
  });

  it("groups by a blob with sum, avg and count as computed from the points", async () => {
    const { data } = await json("SELECT blob1 AS path, count() AS n, sum(double2) AS bytes, avg(double1) AS latency FROM requests GROUP BY path ORDER BY path");
    const expected = PATHS.slice()
      .sort()
      .map((path) => {
        const mine = points.filter((p) => p.blobs[0] === path);
        return { path, n: mine.length, bytes: mine.reduce((s, p) => s + p.doubles[1]!, 0), latency: mine.reduce((s, p) => s + p.doubles[0]!, 0) / mine.length };
      });
    assert.deepEqual(
      data.map((row) => ({ path: row.path, n: Number(row.n), bytes: Number(row.bytes) })),
      expected.map(({ path, n, bytes }) => ({ path, n, bytes })),
    );
    data.forEach((row, i) => assert.ok(Math.abs(Number(row.latency) - expected[i]!.latency) < 1e-9, `avg latency of ${expected[i]!.path}`));
  });

  it("filters on the index and a blob, with sum(_sample_interval) as the sampling-aware count", async () => {
    const { data } = await json("SELECT sum(_sample_interval) AS n FROM requests WHERE index1 = 'acme' AND blob2 = 'POST'");
    assert.equal(Number(data[0]!.n), points.filter((p) => p.indexes[0] === "acme" && p.blobs[1] === "POST").length);
  });

  it("answers JSONEachRow and names what it does not support", async () => {
    const rows = await sql("SELECT index1, count() AS n FROM requests GROUP BY index1 ORDER BY index1 FORMAT JSONEachRow");
    assert.equal(rows.status, 200);
    const parsed = rows.text.trim().split("\n").map((line) => JSON.parse(line) as { index1: string; n: unknown });
    assert.deepEqual(
      parsed.map((row) => [row.index1, Number(row.n)]),
      CUSTOMERS.slice().sort().map((c) => [c, points.filter((p) => p.indexes[0] === c).length]),
    );
    const join = await sql("SELECT * FROM requests JOIN EVENTS ON requests.blob1 = EVENTS.blob1");
    assert.equal(join.status, 422);
    assert.match(join.text, /JOIN/);
    const unknown = await sql("SELECT count() FROM nosuch");
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /nosuch/);
  });

  it("throws workerd's TypeError for a point over the limits, inside the Worker", async () => {
    assert.equal(await (await dev.fetch("/bad")).text(), "TypeError: writeDataPoint(): Maximum of 1 indexes supported.");
  });

  it("`hearth analytics sql` reads the same state while the server runs", () => {
    const run = spawnSync(process.execPath, [HEARTH_BIN, "analytics", "sql", "SELECT blob1 AS name, count() AS n FROM EVENTS GROUP BY name FORMAT JSONEachRow"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const row = JSON.parse(run.stdout.trim()) as { name: string; n: string };
    assert.deepEqual(row, { name: "signup", n: "1" }, "count() is a UInt64: quoted, as Cloudflare's API returns it");
    const bad = spawnSync(process.execPath, [HEARTH_BIN, "analytics", "sql", "SELECT nope( FROM EVENTS"], { cwd: dir, encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /✘ \[ERROR\]/);
  });
});
