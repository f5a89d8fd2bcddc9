/**
 * The engine over a real database: thousands of seeded pseudo-random points in a temp dir, every
 * answer checked against the same figure computed here in plain JavaScript from the generated
 * points (never by the engine), plus the output formats.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { SqliteDatabase } from "../../../shared/sqlite.js";
import { openAnalyticsDatabase } from "../drivers/sqlite.js";
import { AnalyticsSqlError, runAnalyticsQuery } from "./index.js";

const SEED = 0x5eed;
const POINT_COUNT = 6000;
const OTHER_POINT_COUNT = 250;
const SECOND_MS = 1000;
const DAY_S = 86_400;
/** 2024-05-20 00:00:00 UTC, a Monday. */
const BASE_MS = Date.UTC(2024, 4, 20);
const SPAN_MS = 10 * DAY_S * SECOND_MS;
const NOW_MS = BASE_MS + SPAN_MS;
const CUSTOMERS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"];
/** Paths with distinct weights, so their counts differ clearly. */
const PATHS: [string, number][] = [["/api/users", 40], ["/api/orders", 24], ["/", 15], ["/api/items", 10], ["/login", 7], ["/health", 4]];
const STATUSES: [string, number][] = [["200", 80], ["404", 15], ["500", 5]];

interface Point {
  timestampMs: number;
  index1: string;
  blob1: string;
  blob2: string;
  /** Latency, one decimal: many repeated values, as quantiles over pooled weights need. */
  double1: number;
  /** Bytes, a whole number. */
  double2: number;
  /** A whole-number weight 1–5. */
  double3: number;
  /** A value unique to the point, for argMax/argMin. */
  double4: number;
}

/** mulberry32: a small seeded PRNG, so every run sees the same points. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, choices: [T, number][]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, w] of choices) if ((r -= w) < 0) return value;
  return choices[choices.length - 1]![0];
}

function generate(rand: () => number, count: number): Point[] {
  return Array.from({ length: count }, () => ({
    timestampMs: BASE_MS + Math.floor(rand() * SPAN_MS),
    index1: CUSTOMERS[Math.floor(rand() ** 2 * CUSTOMERS.length)]!,
    blob1: weighted(rand, PATHS),
    blob2: weighted(rand, STATUSES),
    double1: Math.round(rand() * 5000) / 10,
    double2: Math.floor(rand() * 100_000),
    double3: 1 + Math.floor(rand() * 5),
    double4: rand() * 1e6,
  }));
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-ae-sql-"));
const db: SqliteDatabase = openAnalyticsDatabase(root);
after(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const rand = random(SEED);
const points = generate(rand, POINT_COUNT);
const insert = db.prepare(
  "INSERT INTO points (dataset, timestamp, index1, blob1, blob2, double1, double2, double3, double4) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
db.transaction(() => {
  for (const p of points) insert.run("requests", p.timestampMs, p.index1, p.blob1, p.blob2, p.double1, p.double2, p.double3, p.double4);
  for (const p of generate(rand, OTHER_POINT_COUNT)) insert.run("other", p.timestampMs, p.index1, p.blob1, p.blob2, p.double1, p.double2, p.double3, p.double4);
})();

// ---- reference computations, plain JavaScript ----

const secondsOf = (p: Point) => Math.floor(p.timestampMs / SECOND_MS);
const NOW_S = NOW_MS / SECOND_MS;
/** `YYYY-MM-DD hh:mm:ss` of UTC seconds, by Date. */
const dateTime = (s: number) => new Date(s * SECOND_MS).toISOString().slice(0, 19).replace("T", " ");
const date = (s: number) => dateTime(s).slice(0, 10);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function groupBy<K>(xs: Point[], key: (p: Point) => K): Map<K, Point[]> {
  const groups = new Map<K, Point[]>();
  for (const p of xs) groups.set(key(p), [...(groups.get(key(p)) ?? []), p]);
  return groups;
}

/** Counts per key, sorted by key: what `GROUP BY key ORDER BY key` returns. */
function countsBy(key: (p: Point) => string): [string, number][] {
  return [...groupBy(points, key)].map(([k, ps]) => [k, ps.length] as [string, number]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The k-th smallest value with every value repeated `weight` times, k = max(1, ceil(total × level)). */
function weightedQuantile(pairs: [number, number][], level: number): number {
  const expanded = pairs.flatMap(([value, weight]) => Array<number>(weight).fill(value)).sort((a, b) => a - b);
  return expanded[Math.max(1, Math.ceil(expanded.length * level)) - 1]!;
}

function assertClose(actual: unknown, expected: number, message?: string) {
  assert.equal(typeof actual, "number", message);
  assert.ok(Math.abs((actual as number) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? ""}: ${actual} ≠ ${expected}`);
}

// ---- running queries ----

interface JsonResult {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
  rows: number;
  rows_before_limit_at_least: number;
}

function run(sql: string) {
  return runAnalyticsQuery(db, sql, { now: () => NOW_MS });
}

function json(sql: string): JsonResult {
  const result = run(sql);
  assert.equal(result.contentType, "application/json; charset=UTF-8");
  return JSON.parse(result.body) as JsonResult;
}

/** The rows of a JSON result as arrays, in column order. */
function rows(sql: string): unknown[][] {
  const result = json(sql);
  return result.data.map((row) => result.meta.map((m) => row[m.name]));
}

describe("aggregation over thousands of points", () => {
  it("GROUP BY: count(), sum(_sample_interval), sum, avg, min, max and the sampling-aware mean", () => {
    const result = json(`
      SELECT index1 AS customer, count() AS n, sum(_sample_interval) AS weighted, sum(double2) AS bytes, avg(double1) AS mean,
             min(double1) AS lo, max(double1) AS hi, SUM(_sample_interval * double1) / SUM(_sample_interval) AS sampled_mean
      FROM requests GROUP BY customer ORDER BY customer`);
    assert.deepEqual(result.meta.map((m) => m.type), ["String", "UInt64", "UInt64", "Float64", "Float64", "Float64", "Float64", "Float64"]);
    const expected = [...groupBy(points, (p) => p.index1)].sort(([a], [b]) => (a < b ? -1 : 1));
    assert.equal(result.rows, CUSTOMERS.length);
    assert.deepEqual(result.data.map((r) => r.customer), expected.map(([k]) => k));
    expected.forEach(([customer, ps], i) => {
      const row = result.data[i]!;
      const latencies = ps.map((p) => p.double1);
      assert.equal(row.n, String(ps.length), customer);
      assert.equal(row.weighted, String(ps.length), customer);
      assertClose(row.bytes, sum(ps.map((p) => p.double2)), `${customer} bytes`);
      assertClose(row.mean, sum(latencies) / ps.length, `${customer} mean`);
      assertClose(row.sampled_mean, sum(latencies) / ps.length, `${customer} sampled mean`);
      assert.equal(row.lo, Math.min(...latencies));
      assert.equal(row.hi, Math.max(...latencies));
    });
  });

  it("GROUP BY two columns with countIf, sumIf, avgIf and count(DISTINCT)", () => {
    const result = rows(`
      SELECT blob1, blob2, count(), countIf(double1 > 250), sumIf(double2, index1 = 'acme'), avgIf(double1, double3 >= 3), count(DISTINCT index1)
      FROM requests GROUP BY blob1, blob2 ORDER BY blob1, blob2`);
    const expected = [...groupBy(points, (p) => `${p.blob1}\u0000${p.blob2}`)].sort(([a], [b]) => (a < b ? -1 : 1));
    assert.equal(result.length, expected.length);
    expected.forEach(([key, ps], i) => {
      const [blob1, blob2] = key.split("\u0000");
      const heavy = ps.filter((p) => p.double3 >= 3).map((p) => p.double1);
      const [a, b, n, slow, acmeBytes, heavyMean, customers] = result[i]!;
      assert.deepEqual([a, b, n, slow, customers], [blob1, blob2, String(ps.length), String(ps.filter((p) => p.double1 > 250).length), String(new Set(ps.map((p) => p.index1)).size)]);
      assertClose(acmeBytes, sum(ps.filter((p) => p.index1 === "acme").map((p) => p.double2)), key);
      if (heavy.length > 0) assertClose(heavyMean, sum(heavy) / heavy.length, key);
    });
  });

  it("toStartOfInterval buckets of 15 minutes, 1 hour and 1 day (DateTime), 1 week and 1 month (Date)", () => {
    for (const [amount, unit, step] of [["15", "MINUTE", 900], ["1", "HOUR", 3600], ["6", "HOUR", 6 * 3600], ["1", "DAY", DAY_S]] as const) {
      const result = json(`SELECT toStartOfInterval(timestamp, INTERVAL '${amount}' ${unit}) AS bucket, count() AS n FROM requests GROUP BY bucket ORDER BY bucket`);
      assert.deepEqual(result.meta, [{ name: "bucket", type: "DateTime" }, { name: "n", type: "UInt64" }]);
      const expected = countsBy((p) => dateTime(Math.floor(secondsOf(p) / step) * step));
      assert.deepEqual(result.data.map((r) => [r.bucket, Number(r.n)]), expected, `${amount} ${unit}`);
    }
    // Weeks start on Monday: getUTCDay() is 0 on Sunday.
    const monday = (p: Point) => {
      const day = Math.floor(secondsOf(p) / DAY_S);
      return date((day - ((new Date(day * DAY_S * SECOND_MS).getUTCDay() + 6) % 7)) * DAY_S);
    };
    const weeks = json("SELECT toStartOfInterval(timestamp, INTERVAL 1 WEEK) AS week, count() AS n FROM requests GROUP BY week ORDER BY week");
    assert.equal(weeks.meta[0]!.type, "Date");
    assert.deepEqual(weeks.data.map((r) => [r.week, Number(r.n)]), countsBy(monday));
    const months = rows("SELECT toStartOfMonth(timestamp) AS month, count() FROM requests GROUP BY month ORDER BY month");
    assert.deepEqual(months.map(([m, n]) => [m, Number(n)]), countsBy((p) => `${date(secondsOf(p)).slice(0, 7)}-01`));
  });

  it("buckets in a time zone, and Grafana's intDiv(toUInt32(timestamp), 300) * 300", () => {
    const TOKYO_OFFSET_S = 9 * 3600; // Japan has no daylight saving time.
    const tokyo = rows("SELECT toStartOfInterval(timestamp, INTERVAL 1 DAY, 'Asia/Tokyo') AS d, count() FROM requests GROUP BY d ORDER BY d");
    assert.deepEqual(tokyo.map(([d, n]) => [d, Number(n)]), countsBy((p) => `${date(secondsOf(p) + TOKYO_OFFSET_S)} 00:00:00`));
    const grafana = json("SELECT intDiv(toUInt32(timestamp), 300) * 300 AS t, count() AS n FROM requests GROUP BY t ORDER BY t");
    assert.equal(grafana.meta[0]!.type, "UInt64");
    const expected = countsBy((p) => String(Math.floor(secondsOf(p) / 300) * 300).padStart(12, "0")).map(([t, n]) => [String(Number(t)), n]);
    assert.deepEqual(grafana.data.map((r) => [r.t, Number(r.n)]), expected);
  });

  it("quantileExactWeighted over pooled weights and quantileWeighted, at many levels, overall and per group", () => {
    const levels = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
    const select = levels.map((q, i) => `quantileExactWeighted(${q})(double1, double3) AS w${i}, quantileWeighted(${q}, double1, _sample_interval) AS u${i}`);
    const [row] = json(`SELECT ${select.join(", ")} FROM requests`).data;
    levels.forEach((q, i) => {
      assert.equal(row![`w${i}`], weightedQuantile(points.map((p) => [p.double1, p.double3]), q), `weighted, level ${q}`);
      assert.equal(row![`u${i}`], weightedQuantile(points.map((p) => [p.double1, 1]), q), `unweighted, level ${q}`);
    });
    const perStatus = json(`SELECT blob2, quantileExactWeighted(0.5)(double1, _sample_interval) AS p50, quantileExactWeighted(0.95)(double2, double3) AS p95
      FROM requests GROUP BY blob2 ORDER BY blob2`);
    for (const r of perStatus.data) {
      const ps = points.filter((p) => p.blob2 === r.blob2);
      assert.equal(r.p50, weightedQuantile(ps.map((p) => [p.double1, 1]), 0.5));
      assert.equal(r.p95, weightedQuantile(ps.map((p) => [p.double2, p.double3]), 0.95));
    }
    // An integer column keeps its type.
    assert.deepEqual(json("SELECT quantileExactWeighted(0.9)(_sample_interval, 1) AS q FROM requests").data, [{ q: 1 }]);
  });

  it("topK and topKWeighted return the most frequent values, most frequent first", () => {
    const [row] = json("SELECT topK(3)(blob1) AS paths, topK(blob2) AS statuses, topKWeighted(2)(index1, double3) AS heavy FROM requests").data;
    const check = (returned: unknown, weights: Map<string, number>, n: number) => {
      const values = returned as string[];
      assert.equal(values.length, Math.min(n, weights.size));
      const counts = values.map((v) => weights.get(v)!);
      for (let i = 1; i < counts.length; i++) assert.ok(counts[i - 1]! >= counts[i]!, `not most frequent first: ${values}`);
      const left = [...weights].filter(([v]) => !values.includes(v)).map(([, c]) => c);
      assert.ok(left.every((c) => c <= counts.at(-1)!), `a more frequent value was left out of ${values}`);
    };
    const counter = (key: (p: Point) => string, weight: (p: Point) => number = () => 1) => {
      const m = new Map<string, number>();
      for (const p of points) m.set(key(p), (m.get(key(p)) ?? 0) + weight(p));
      return m;
    };
    check(row!.paths, counter((p) => p.blob1), 3);
    assert.deepEqual(row!.paths, ["/api/users", "/api/orders", "/"]);
    check(row!.statuses, counter((p) => p.blob2), 10);
    check(row!.heavy, counter((p) => p.index1, (p) => p.double3), 2);
  });

  it("argMax and argMin pick the row with the extreme value", () => {
    const [row] = rows("SELECT argMax(blob1, double4), argMin(index1, double4), argMax(timestamp, double4), max(double4) FROM requests");
    const byDouble4 = [...points].sort((a, b) => a.double4 - b.double4);
    const [lowest, highest] = [byDouble4[0]!, byDouble4.at(-1)!];
    assert.deepEqual(row, [highest.blob1, lowest.index1, dateTime(secondsOf(highest)), highest.double4]);
  });

  it("aggregates of no rows give one row of ClickHouse defaults (NaN, shown as null, for avg and float quantiles)", () => {
    const result = json(`SELECT count(), sum(double1), sum(_sample_interval), avg(double1), min(double1), max(blob1), min(timestamp),
      argMax(blob1, double4), quantileExactWeighted(0.5)(double1, 1), quantileExactWeighted(0.5)(_sample_interval, 1), topK(blob1) FROM requests WHERE 0`);
    assert.deepEqual(result.data.map((r) => Object.values(r)), [["0", 0, "0", null, 0, "", "1970-01-01 00:00:00", "", null, 0, []]]);
    assert.deepEqual(json("SELECT blob1, count() FROM requests WHERE 0 GROUP BY blob1").data, []);
  });

  it("HAVING and FROM (subquery) filter groups", () => {
    const counts = [...groupBy(points, (p) => p.index1)].map(([k, ps]) => [k, ps.length] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    const threshold = [...counts.map(([, n]) => n)].sort((a, b) => a - b)[Math.floor(counts.length / 2)]!;
    const busy = counts.filter(([, n]) => n > threshold);
    assert.deepEqual(rows(`SELECT index1, count() AS n FROM requests GROUP BY index1 HAVING n > ${threshold} ORDER BY index1`), busy.map(([k, n]) => [k, String(n)]));
    assert.deepEqual(rows(`SELECT count() AS busy FROM (SELECT index1, count() AS n FROM requests GROUP BY index1) WHERE n > ${threshold}`), [[String(busy.length)]]);
    assert.deepEqual(rows(`SELECT s.customer FROM (SELECT index1 AS customer, count() AS n FROM requests GROUP BY customer ORDER BY n DESC LIMIT 2) AS s ORDER BY s.customer`),
      [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k]) => [k]).sort());
  });
});

describe("filters", () => {
  const count = (where: string) => Number(rows(`SELECT count() FROM requests WHERE ${where}`)[0]![0]);

  it("compares timestamp with NOW() - INTERVAL, toDateTime(...) and date strings", () => {
    assert.equal(count("timestamp > NOW() - INTERVAL '3' DAY"), points.filter((p) => secondsOf(p) > NOW_S - 3 * DAY_S).length);
    assert.equal(count("timestamp >= now() - INTERVAL 90 MINUTE"), points.filter((p) => secondsOf(p) >= NOW_S - 90 * 60).length);
    const dayStart = Date.UTC(2024, 4, 22) / SECOND_MS;
    assert.equal(count("timestamp >= toDateTime('2024-05-22 00:00:00') AND timestamp < toDateTime('2024-05-23 00:00:00')"),
      points.filter((p) => secondsOf(p) >= dayStart && secondsOf(p) < dayStart + DAY_S).length);
    assert.equal(count("timestamp BETWEEN '2024-05-22 06:00:00' AND '2024-05-22 18:00:00'"),
      points.filter((p) => secondsOf(p) >= dayStart + 6 * 3600 && secondsOf(p) <= dayStart + 18 * 3600).length);
    assert.equal(count(`timestamp >= toDateTime(${dayStart}) AND timestamp <= toDateTime(${dayStart + 3600})`),
      points.filter((p) => secondsOf(p) >= dayStart && secondsOf(p) <= dayStart + 3600).length);
  });

  it("combines LIKE, IN, NOT, OR and arithmetic", () => {
    assert.equal(count("blob1 LIKE '/api/%' AND blob2 IN ('200', '404') AND NOT (double1 < 100)"),
      points.filter((p) => p.blob1.startsWith("/api/") && ["200", "404"].includes(p.blob2) && !(p.double1 < 100)).length);
    assert.equal(count("blob1 NOT LIKE '%s' OR double2 / 1000 > 90"), points.filter((p) => !p.blob1.endsWith("s") || p.double2 / 1000 > 90).length);
    assert.equal(count("blob1 ILIKE '/API/ITEMS'"), points.filter((p) => p.blob1 === "/api/items").length);
    assert.equal(count("CASE blob2 WHEN '500' THEN 1 WHEN '404' THEN double1 > 250 ELSE 0 END"),
      points.filter((p) => p.blob2 === "500" || (p.blob2 === "404" && p.double1 > 250)).length);
    assert.equal(count("if(double2 > 50000, blob1, index1) = 'acme'"), points.filter((p) => (p.double2 > 50000 ? p.blob1 : p.index1) === "acme").length);
    assert.equal(count("index1 IN ('acme', 'hooli') AND double3 % 2 = 1"), points.filter((p) => ["acme", "hooli"].includes(p.index1) && p.double3 % 2 === 1).length);
  });

  it("counts only the dataset named in FROM", () => {
    assert.deepEqual(rows("SELECT count() FROM other"), [[String(OTHER_POINT_COUNT)]]);
    assert.deepEqual(rows("SELECT dataset, count() FROM requests GROUP BY dataset"), [["requests", String(POINT_COUNT)]]);
  });
});

describe("ORDER BY, LIMIT and OFFSET", () => {
  const groups = [...groupBy(points, (p) => `${p.blob1} ${p.index1}`)].map(([, ps]) => ({ path: ps[0]!.blob1, customer: ps[0]!.index1, n: ps.length }));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...groups].sort((a, b) => b.n - a.n || cmp(a.path, b.path) || cmp(b.customer, a.customer));

  it("sorts on several keys and directions, then skips and takes", () => {
    const result = json(`SELECT blob1 AS path, index1 AS customer, count() AS n FROM requests GROUP BY path, customer
      ORDER BY n DESC, path ASC, customer DESC LIMIT 7 OFFSET 4`);
    assert.deepEqual(result.data, sorted.slice(4, 11).map((g) => ({ path: g.path, customer: g.customer, n: String(g.n) })));
    assert.equal(result.rows, 7);
    assert.equal(result.rows_before_limit_at_least, groups.length);
  });

  it("reads LIMIT offset, count, LIMIT ALL and positional ORDER BY", () => {
    const all = rows("SELECT blob1, index1, count() FROM requests GROUP BY blob1, index1 ORDER BY 3 DESC, 1, 2 DESC LIMIT ALL");
    assert.deepEqual(all, sorted.map((g) => [g.path, g.customer, String(g.n)]));
    assert.deepEqual(rows("SELECT blob1, index1, count() FROM requests GROUP BY blob1, index1 ORDER BY 3 DESC, 1, 2 DESC LIMIT 5, 3"), all.slice(5, 8));
  });

  it("orders raw rows", () => {
    const slow = points.filter((p) => p.blob2 === "500").map((p) => p.double1).sort((a, b) => b - a);
    const result = json("SELECT double1 FROM requests WHERE blob2 = '500' ORDER BY double1 DESC LIMIT 10 OFFSET 20");
    assert.deepEqual(result.data.map((r) => r.double1), slow.slice(20, 30));
    assert.equal(result.rows_before_limit_at_least, slow.length);
    const first = [...points].sort((a, b) => a.timestampMs - b.timestampMs || a.double4 - b.double4).slice(0, 3);
    assert.deepEqual(json("SELECT timestamp, index1, _sample_interval FROM requests ORDER BY timestamp, double4 LIMIT 3").data,
      first.map((p) => ({ timestamp: dateTime(secondsOf(p)), index1: p.index1, _sample_interval: 1 })));
  });

  it("groups by formatted days", () => {
    assert.deepEqual(rows("SELECT formatDateTime(timestamp, '%Y-%m-%d') AS day, count() FROM requests GROUP BY day ORDER BY day").map(([d, n]) => [d, Number(n)]),
      countsBy((p) => date(secondsOf(p))));
  });
});

describe("output formats", () => {
  const FORMAT_POINTS: [string, number, number][] = [
    ["tab\there", 1.5, 1], ["line\nbreak \\ 'quoted' \"double\"", -2.25, 2], ["ünïcødé ✓", 0, 3],
  ];
  db.transaction(() => {
    for (const [blob1, double1, i] of FORMAT_POINTS) {
      db.prepare("INSERT INTO points (dataset, timestamp, blob1, double1) VALUES ('formats', ?, ?, ?)").run(Date.UTC(2024, 0, 1, 0, 0, i), blob1, double1);
    }
  })();
  const SQL = "SELECT blob1, double1, timestamp, count() AS n, toUInt32(double1 * 0) AS z FROM formats GROUP BY blob1, double1, timestamp ORDER BY timestamp";

  it("JSON: meta, data, rows and rows_before_limit_at_least; 64-bit integers quoted", () => {
    const result = run(`${SQL} LIMIT 2`);
    assert.equal(result.contentType, "application/json; charset=UTF-8");
    const parsed = JSON.parse(result.body) as JsonResult;
    assert.deepEqual(Object.keys(parsed), ["meta", "data", "rows", "rows_before_limit_at_least"]);
    assert.deepEqual(parsed.meta, [
      { name: "blob1", type: "String" }, { name: "double1", type: "Float64" }, { name: "timestamp", type: "DateTime" },
      { name: "n", type: "UInt64" }, { name: "z", type: "UInt32" },
    ]);
    assert.deepEqual(parsed.data, [
      { blob1: "tab\there", double1: 1.5, timestamp: "2024-01-01 00:00:01", n: "1", z: 0 },
      { blob1: "line\nbreak \\ 'quoted' \"double\"", double1: -2.25, timestamp: "2024-01-01 00:00:02", n: "1", z: 0 },
    ]);
    assert.equal(parsed.rows, 2);
    assert.equal(parsed.rows_before_limit_at_least, 3);
  });

  it("JSONEachRow: one object per line", () => {
    const result = run(`${SQL} FORMAT JSONEachRow`);
    assert.equal(result.contentType, "application/x-ndjson; charset=UTF-8");
    assert.ok(result.body.endsWith("\n"));
    const lines = result.body.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.deepEqual(JSON.parse(lines[2]!), { blob1: "ünïcødé ✓", double1: 0, timestamp: "2024-01-01 00:00:03", n: "1", z: 0 });
    assert.equal(run("SELECT blob1 FROM formats WHERE 0 FORMAT JSONEachRow").body, "");
  });

  it("TabSeparated: no header, ClickHouse escapes, arrays in brackets", () => {
    const result = run(`${SQL} FORMAT TabSeparated`);
    assert.equal(result.contentType, "text/tab-separated-values; charset=UTF-8");
    assert.equal(result.body, [
      "tab\\there\t1.5\t2024-01-01 00:00:01\t1\t0\n",
      "line\\nbreak \\\\ \\'quoted\\' \"double\"\t-2.25\t2024-01-01 00:00:02\t1\t0\n",
      "ünïcødé ✓\t0\t2024-01-01 00:00:03\t1\t0\n",
    ].join(""));
    assert.equal(run("SELECT topK(2)(blob1), 1 / 0, -1 / 0 * 0 FROM formats WHERE double1 >= 0 FORMAT TabSeparated").body, "['tab\\there','ünïcødé ✓']\tnan\tnan\n");
  });

  it("SHOW TABLES lists every dataset with points, in order", () => {
    assert.deepEqual(json("SHOW TABLES").data, [{ dataset: "formats" }, { dataset: "other" }, { dataset: "requests" }]);
    assert.equal(run("SHOW TABLES FORMAT TabSeparated").body, "formats\nother\nrequests\n");
    assert.equal(run("SHOW TIMEZONE FORMAT TabSeparated").body, "Etc/UTC\n");
    const zones = json("SHOW TIMEZONES");
    assert.deepEqual(zones.meta, [{ name: "name", type: "String" }]);
    assert.ok(zones.data.some((r) => r.name === "Etc/UTC") && zones.data.some((r) => r.name === "America/New_York"));
  });
});

describe("runAnalyticsQuery", () => {
  it("throws AnalyticsSqlError for user errors, also from functions that fail while the query runs", () => {
    for (const [sql, message] of [
      ["SELECT * FROM missing", /^Unknown table 'missing'/],
      ["SELECT toFloat64(blob1) FROM requests", /^Cannot parse '\/.*' as Float64$/],
      ["SELECT intDiv(double1, double1 * 0) FROM requests", /^Division by zero in intDiv$/],
      ["SELECT 1 FROM requests JOIN other", /^JOIN is not supported/],
    ] as const) {
      assert.throws(() => run(sql), (e: unknown) => e instanceof AnalyticsSqlError && message.test(e.message), sql);
    }
  });

  it("reads the clock it is given, else the real one", () => {
    assert.deepEqual(rows("SELECT now(), today()"), [[dateTime(NOW_S), date(NOW_S)]]);
    const before = Math.floor(Date.now() / SECOND_MS);
    const now = Date.parse(`${(JSON.parse(runAnalyticsQuery(db, "SELECT now() AS t").body) as JsonResult).data[0]!.t}Z`) / SECOND_MS;
    assert.ok(now >= before && now <= before + 2);
  });

  it("works on a second connection to the same database", () => {
    const other = openAnalyticsDatabase(root);
    try {
      assert.deepEqual(JSON.parse(runAnalyticsQuery(other, "SELECT count() AS n FROM requests WHERE blob1 LIKE '/api/%'").body).data,
        [{ n: String(points.filter((p) => p.blob1.startsWith("/api/")).length) }]);
    } finally {
      other.close();
    }
  });
});
