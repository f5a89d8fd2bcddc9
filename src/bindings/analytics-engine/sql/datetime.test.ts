import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addMonths, civilFromDays, daysFromCivil, formatDateTime, fromWallClock, parseDateTime, SECONDS_PER_DAY, startOfInterval, zoneOffset,
} from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";

/** Seconds of a UTC date-time, computed by the JavaScript Date, independent of the module. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");

describe("calendar conversions", () => {
  it("days ⇄ civil dates agree with Date.UTC over a wide range", () => {
    for (let days = -800_000; days <= 800_000; days += 997) {
      const date = new Date(days * SECONDS_PER_DAY * 1000);
      const civil = civilFromDays(days);
      assert.deepEqual(civil, { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      assert.equal(daysFromCivil(civil.year, civil.month, civil.day), days);
    }
  });
});

describe("time zones", () => {
  it("knows UTC offsets including daylight saving time", () => {
    assert.equal(zoneOffset(undefined, utc(2024, 1, 1)), 0);
    assert.equal(zoneOffset("Etc/UTC", utc(2024, 7, 1)), 0);
    assert.equal(zoneOffset("America/New_York", utc(2024, 1, 15)), -5 * 3600);
    assert.equal(zoneOffset("America/New_York", utc(2024, 7, 15)), -4 * 3600);
    assert.equal(zoneOffset("Asia/Kolkata", utc(2024, 7, 15)), 5.5 * 3600);
  });

  it("maps wall clocks back to instants; a time skipped by DST moves forward", () => {
    assert.equal(fromWallClock(utc(2022, 12, 1, 16, 17), "America/New_York"), utc(2022, 12, 1, 21, 17));
    // 2024-03-10 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT.
    assert.equal(iso(fromWallClock(utc(2024, 3, 10, 2, 30), "America/New_York")), "2024-03-10 07:30:00");
    // 2024-03-31 02:30 does not exist in Paris: clocks jump from 02:00 CET to 03:00 CEST.
    assert.equal(iso(fromWallClock(utc(2024, 3, 31, 2, 30), "Europe/Paris")), "2024-03-31 01:30:00");
  });

  it("refuses unknown zones", () => {
    assert.throws(() => zoneOffset("Mars/Olympus", 0), (e: unknown) => e instanceof AnalyticsSqlError && /Unknown time zone 'Mars\/Olympus'/.test(e.message));
  });
});

describe("parseDateTime", () => {
  it("reads ClickHouse's basic forms and UNIX seconds", () => {
    assert.equal(parseDateTime("2024-01-02 03:04:05", undefined), utc(2024, 1, 2, 3, 4, 5));
    assert.equal(parseDateTime("2024-01-02T03:04:05", undefined), utc(2024, 1, 2, 3, 4, 5));
    assert.equal(parseDateTime("2024-01-02", undefined), utc(2024, 1, 2));
    assert.equal(parseDateTime("355924804", undefined), 355924804);
    assert.equal(parseDateTime("2022-12-01 16:17:00", "America/New_York"), utc(2022, 12, 1, 21, 17));
  });

  it("refuses text that is not a date", () => {
    for (const text of ["yesterday", "2024-13-01", "2024-02-30 00:00:00", "2024-01-01 24:00:00"]) {
      assert.throws(() => parseDateTime(text, undefined), AnalyticsSqlError, text);
    }
  });
});

describe("formatDateTime", () => {
  const t = utc(2024, 1, 1, 13, 5, 9); // a Monday
  it("prints the MySQL-style specifiers ClickHouse supports", () => {
    assert.equal(formatDateTime(t, "%Y-%m-%d %H:%i:%S", undefined), "2024-01-01 13:05:09");
    assert.equal(formatDateTime(t, "%F %T|%a %b|%e|%j|%u %w|%V %G|%Q|%p|%M %W|%y %C|%D|%R|%r|%z|%%|%h %I %l %k|%c %s", undefined),
      "2024-01-01 13:05:09|Mon Jan| 1|001|1 1|01 2024|1|PM|January Monday|24 20|01/01/24|13:05|01:05 PM|+0000|%|01 01  1 13|01 09");
  });

  it("uses ISO week numbering and the zone's wall clock and offset", () => {
    assert.equal(formatDateTime(utc(2021, 1, 1), "%G-W%V-%u", undefined), "2020-W53-5");
    assert.equal(formatDateTime(utc(2022, 12, 1, 21, 17), "%F %T %z", "America/New_York"), "2022-12-01 16:17:00 -0500");
  });

  it("agrees with Date for many instants", () => {
    for (let s = -2_000_000_000; s < 4_000_000_000; s += 7_777_777) {
      assert.equal(formatDateTime(s, "%Y-%m-%d %H:%i:%S", undefined), iso(s));
    }
  });
});

describe("startOfInterval", () => {
  const t = utc(2024, 5, 15, 13, 47, 31); // a Wednesday
  it("rounds seconds, minutes and days from the epoch, hours within the day", () => {
    assert.equal(iso(startOfInterval(t, 10, "SECOND", undefined)), "2024-05-15 13:47:30");
    assert.equal(iso(startOfInterval(t, 15, "MINUTE", undefined)), "2024-05-15 13:45:00");
    assert.equal(iso(startOfInterval(t, 5, "HOUR", undefined)), "2024-05-15 10:00:00");
    assert.equal(iso(startOfInterval(t, 1, "DAY", undefined)), "2024-05-15 00:00:00");
    const days = Math.floor(t / SECONDS_PER_DAY);
    assert.equal(startOfInterval(t, 3, "DAY", undefined), Math.floor(days / 3) * 3 * SECONDS_PER_DAY);
  });

  it("starts weeks on Monday and rounds months, quarters and years on the calendar", () => {
    assert.equal(iso(startOfInterval(t, 1, "WEEK", undefined)), "2024-05-13 00:00:00");
    assert.equal(iso(startOfInterval(utc(2024, 5, 12, 23), 1, "WEEK", undefined)), "2024-05-06 00:00:00");
    assert.equal(iso(startOfInterval(t, 1, "MONTH", undefined)), "2024-05-01 00:00:00");
    assert.equal(iso(startOfInterval(t, 2, "MONTH", undefined)), "2024-05-01 00:00:00");
    assert.equal(iso(startOfInterval(t, 1, "QUARTER", undefined)), "2024-04-01 00:00:00");
    assert.equal(iso(startOfInterval(t, 1, "YEAR", undefined)), "2024-01-01 00:00:00");
    assert.equal(iso(startOfInterval(t, 10, "YEAR", undefined)), "2020-01-01 00:00:00");
  });

  it("rounds on the zone's wall clock", () => {
    // 03:00 UTC on 2024-05-15 is still the 14th in New York (UTC-4).
    assert.equal(iso(startOfInterval(utc(2024, 5, 15, 3), 1, "DAY", "America/New_York")), "2024-05-14 04:00:00");
  });
});

describe("addMonths", () => {
  it("keeps the time of day and clamps to the end of shorter months", () => {
    assert.equal(iso(addMonths(utc(2024, 1, 31, 10), 1, undefined)), "2024-02-29 10:00:00");
    assert.equal(iso(addMonths(utc(2024, 3, 31), -1, undefined)), "2024-02-29 00:00:00");
    assert.equal(iso(addMonths(utc(2023, 11, 30, 5), 14, undefined)), "2025-01-30 05:00:00");
    assert.equal(iso(addMonths(utc(2024, 2, 29), 12, undefined)), "2025-02-28 00:00:00");
  });
});
