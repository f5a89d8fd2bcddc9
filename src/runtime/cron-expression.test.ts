import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CronSyntaxError, parseCron } from "./cron-expression.js";

const t = (iso: string) => Date.parse(iso.endsWith("Z") ? iso : `${iso}Z`);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace(":00.000Z", "Z"));

/** The next `count` scheduled minutes after `from`. */
function upcoming(expression: string, from: string, count: number): (string | null)[] {
  const cron = parseCron(expression);
  const out: (string | null)[] = [];
  let at: number | null = t(from);
  for (let i = 0; i < count && at !== null; i++) {
    at = cron.nextAfter(at);
    out.push(iso(at));
  }
  return out;
}

/** Days of a month (1-based) on which `expression` fires at least once. */
function daysIn(expression: string, yearMonth: string): number[] {
  const cron = parseCron(expression);
  const days: number[] = [];
  for (let day = 1; day <= 31; day++) {
    const start = t(`${yearMonth}-${String(day).padStart(2, "0")}T00:00:00`);
    if (Number.isNaN(start) || new Date(start).getUTCDate() !== day) continue;
    for (let minute = 0; minute < 24 * 60; minute += 1) {
      if (cron.matches(start + minute * 60_000)) {
        days.push(day);
        break;
      }
    }
  }
  return days;
}

describe("cron expressions: Cloudflare's documented examples", () => {
  it("* * * * * fires every minute, after the minute containing the given time", () => {
    assert.deepEqual(upcoming("* * * * *", "2026-11-22T10:15:30", 3), ["2026-11-22T10:16Z", "2026-11-22T10:17Z", "2026-11-22T10:18Z"]);
    assert.deepEqual(upcoming("* * * * *", "2026-11-22T10:15:00", 1), ["2026-11-22T10:16Z"]);
    assert.equal(parseCron("* * * * *").matches(t("2026-11-22T10:15:59.999")), true);
  });

  it("*/30 * * * *: every 30 minutes", () => {
    assert.deepEqual(upcoming("*/30 * * * *", "2026-11-22T10:15", 3), ["2026-11-22T10:30Z", "2026-11-22T11:00Z", "2026-11-22T11:30Z"]);
  });

  it("45 * * * *: at minute 45 of every hour", () => {
    assert.deepEqual(upcoming("45 * * * *", "2026-11-22T10:50", 2), ["2026-11-22T11:45Z", "2026-11-22T12:45Z"]);
  });

  it("0 17 * * sun and 0 17 * * 1: 17:00 on Sundays (1 = Sunday)", () => {
    for (const expression of ["0 17 * * sun", "0 17 * * 1", "0 17 * * SUN"]) {
      assert.deepEqual(upcoming(expression, "2026-11-22T18:00", 2), ["2026-11-29T17:00Z", "2026-12-06T17:00Z"], expression);
    }
  });

  it("10 7 * * mon-fri and 10 7 * * 2-6: weekdays at 07:10", () => {
    const expected = ["2026-11-23T07:10Z", "2026-11-24T07:10Z", "2026-11-25T07:10Z", "2026-11-26T07:10Z", "2026-11-27T07:10Z", "2026-11-30T07:10Z"];
    assert.deepEqual(upcoming("10 7 * * mon-fri", "2026-11-22T00:00", 6), expected);
    assert.deepEqual(upcoming("10 7 * * 2-6", "2026-11-22T00:00", 6), expected);
  });

  it("0 15 1 * *: 15:00 on the first day of the month", () => {
    assert.deepEqual(upcoming("0 15 1 * *", "2026-11-22T00:00", 2), ["2026-12-01T15:00Z", "2027-01-01T15:00Z"]);
  });

  it("0 18 * * 6L and friL: 18:00 on the last Friday of the month", () => {
    assert.deepEqual(upcoming("0 18 * * 6L", "2026-11-01T00:00", 2), ["2026-11-27T18:00Z", "2026-12-25T18:00Z"]);
    assert.deepEqual(upcoming("0 18 * * friL", "2026-11-01T00:00", 1), ["2026-11-27T18:00Z"]);
  });

  it("59 23 LW * *: 23:59 on the last weekday of the month", () => {
    // Feb 2026 ends on a Saturday, May 2026 on a Sunday, March 2026 on a Tuesday.
    assert.deepEqual(upcoming("59 23 LW * *", "2026-02-01T00:00", 4), ["2026-02-27T23:59Z", "2026-03-31T23:59Z", "2026-04-30T23:59Z", "2026-05-29T23:59Z"]);
  });
});

describe("cron expressions: fields", () => {
  it("lists, ranges, steps and ranges with steps", () => {
    assert.deepEqual(upcoming("5,10-12,40-50/5 3 * * *", "2026-11-22T00:00", 8), [
      "2026-11-22T03:05Z",
      "2026-11-22T03:10Z",
      "2026-11-22T03:11Z",
      "2026-11-22T03:12Z",
      "2026-11-22T03:40Z",
      "2026-11-22T03:45Z",
      "2026-11-22T03:50Z",
      "2026-11-23T03:05Z",
    ]);
  });

  it("a/n runs from a to the field's maximum", () => {
    assert.deepEqual(upcoming("50/4 0 * * *", "2026-11-22T00:00", 3), ["2026-11-22T00:50Z", "2026-11-22T00:54Z", "2026-11-22T00:58Z"]);
    assert.deepEqual(upcoming("0 20/2 * * *", "2026-11-22T00:00", 3), ["2026-11-22T20:00Z", "2026-11-22T22:00Z", "2026-11-23T20:00Z"]);
  });

  it("ranges wrap around when the start is after the end", () => {
    assert.deepEqual(upcoming("58-1 0 * * *", "2026-11-22T00:30", 4), ["2026-11-22T00:58Z", "2026-11-22T00:59Z", "2026-11-23T00:00Z", "2026-11-23T00:01Z"]);
    assert.deepEqual(daysIn("0 0 * * FRI-SUN", "2026-11").slice(0, 4), [1, 6, 7, 8]);
    assert.deepEqual(daysIn("0 0 * * 7-2", "2026-11").slice(0, 4), [1, 2, 7, 8]);
  });

  it("month names and numbers, in any case", () => {
    assert.deepEqual(upcoming("0 0 1 jan,Jul * ", "2026-11-22T00:00", 2), ["2027-01-01T00:00Z", "2027-07-01T00:00Z"]);
    assert.deepEqual(upcoming("0 0 1 2-3 *", "2026-11-22T00:00", 2), ["2027-02-01T00:00Z", "2027-03-01T00:00Z"]);
    assert.deepEqual(upcoming("0 0 1 NOV-FEB/2 *", "2026-11-22T00:00", 2), ["2027-01-01T00:00Z", "2027-11-01T00:00Z"]);
  });

  it("weekday steps start on Sunday for */n", () => {
    assert.deepEqual(daysIn("0 0 * * */3", "2026-11").slice(0, 4), [1, 4, 7, 8]);
  });

  it("whitespace between fields may be any run of spaces and tabs", () => {
    assert.deepEqual(upcoming("  0\t12  *  * * ", "2026-11-22T00:00", 1), ["2026-11-22T12:00Z"]);
  });
});

describe("cron expressions: L, W and #", () => {
  it("L is the last day of the month, L-n n days before it", () => {
    assert.deepEqual(daysIn("0 0 L * *", "2026-02"), [28]);
    assert.deepEqual(daysIn("0 0 L * *", "2028-02"), [29]);
    assert.deepEqual(daysIn("0 0 L-3 * *", "2026-11"), [27]);
    assert.deepEqual(daysIn("0 0 L-30 * *", "2026-02"), [], "never before the first of the month");
  });

  it("nW is the weekday nearest to day n, without leaving the month", () => {
    assert.deepEqual(daysIn("0 0 15W * *", "2026-08"), [14], "Saturday the 15th → Friday");
    assert.deepEqual(daysIn("0 0 15W * *", "2026-11"), [16], "Sunday the 15th → Monday");
    assert.deepEqual(daysIn("0 0 15W * *", "2026-12"), [15], "a weekday stays");
    assert.deepEqual(daysIn("0 0 1W * *", "2026-08"), [3], "Saturday the 1st → Monday the 3rd");
    assert.deepEqual(daysIn("0 0 31W * *", "2026-05"), [29], "Sunday the 31st → Friday the 29th");
    assert.deepEqual(daysIn("0 0 31W * *", "2026-11"), [], "no 31st in November");
  });

  it("L-nW is the weekday nearest to n days before the last", () => {
    assert.deepEqual(daysIn("0 0 L-1W * *", "2026-03"), [30]);
    assert.deepEqual(daysIn("0 0 L-7W * *", "2026-05"), [25], "Sunday the 24th → Monday");
    assert.deepEqual(daysIn("0 0 L-7W * *", "2026-01"), [23], "Saturday the 24th → Friday");
  });

  it("xL is the last weekday x of the month; L alone is Saturday", () => {
    assert.deepEqual(daysIn("0 0 * * 1L", "2026-11"), [29]);
    assert.deepEqual(daysIn("0 0 * * L", "2026-11"), [7, 14, 21, 28]);
  });

  it("x#n is the n-th weekday x of the month", () => {
    assert.deepEqual(daysIn("0 0 * * 6#3", "2026-11"), [20]);
    assert.deepEqual(daysIn("0 0 * * MON#1", "2026-11"), [2]);
    assert.deepEqual(daysIn("0 0 * * 1#5", "2026-11"), [29]);
    assert.deepEqual(daysIn("0 0 * * 2#5", "2026-11"), [30]);
    assert.deepEqual(daysIn("0 0 * * 3#5", "2026-11"), []);
  });

  it("when both day fields are restricted, either one matching is enough", () => {
    assert.deepEqual(daysIn("0 0 1,15 * MON", "2026-11"), [1, 2, 9, 15, 16, 23, 30]);
    assert.deepEqual(daysIn("0 0 ? * MON", "2026-11"), [2, 9, 16, 23, 30], "? is the same as *");
  });
});

describe("cron expressions: searching ahead", () => {
  it("finds a leap day years away", () => {
    assert.deepEqual(upcoming("0 0 29 2 *", "2025-03-01T00:00", 2), ["2028-02-29T00:00Z", "2032-02-29T00:00Z"]);
  });

  it("returns null for an expression that never fires", () => {
    assert.equal(parseCron("0 0 30 2 *").nextAfter(t("2026-01-01T00:00")), null);
  });
});

describe("cron expressions: syntax errors", () => {
  for (const [expression, pattern] of [
    ["* * * *", /needs 5 fields .* not 4/],
    ["* * * * * *", /not 6/],
    ["", /not 0/],
    ["60 * * * *", /invalid minute "60": must be from 0 to 59/],
    ["* 24 * * *", /invalid hour "24"/],
    ["* * 0 * *", /invalid day of month "0"/],
    ["* * 32 * *", /invalid day of month "32"/],
    ["* * * 13 *", /invalid month "13"/],
    ["* * * foo *", /invalid month "foo": not a number from 1 to 12 or a name/],
    ["* * * * 0", /invalid day of week "0": must be from 1 to 7/],
    ["* * * * 8", /invalid day of week "8"/],
    ["*/0 * * * *", /the step must be from 1 to 59/],
    ["*/60 * * * *", /the step must be from 1 to 59/],
    ["* * * * */7", /the step must be from 1 to 6/],
    ["1,,2 * * * *", /empty list item/],
    ["1-2-3 * * * *", /a range is two values/],
    ["1/2/3 * * * *", /more than one '\/'/],
    ["* * * * MON#6", /the week after '#' must be from 1 to 5/],
    ["* * L-31 * *", /the offset from the last day must be from 1 to 30/],
    ["* * 32W * *", /invalid day of month "32"/],
    ["a * * * *", /invalid minute "a"/],
  ] as const) {
    it(`refuses ${JSON.stringify(expression)}`, () => {
      assert.throws(() => parseCron(expression), (error: unknown) => error instanceof CronSyntaxError && pattern.test(error.message));
    });
  }
});
