import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedClock } from "../shared/clock.js";
import { createMemoryLogger } from "../shared/log.js";
import { manualTimers } from "../shared/timers.js";
import { CronScheduler } from "./cron-scheduler.js";

const t = (iso: string) => Date.parse(`${iso}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

function setup(crons: string[], start: string) {
  const clock = fixedClock(t(start));
  const timers = manualTimers(clock);
  const logger = createMemoryLogger();
  const fired: { cron: string; scheduledTime: string; at: string }[] = [];
  const scheduler = new CronScheduler({
    workerName: "w",
    crons,
    fire: (cron, scheduledTime) => fired.push({ cron, scheduledTime: iso(scheduledTime), at: iso(clock.now()) }),
    clock,
    timers,
    logger,
  });
  return { clock, timers, logger, fired, scheduler };
}

describe("CronScheduler", () => {
  it("fires * * * * * at the start of every minute, with that minute as scheduledTime", async () => {
    const { timers, fired, scheduler } = setup(["* * * * *"], "2026-11-22T10:15:30");
    scheduler.start();
    await timers.advance(29_999);
    assert.equal(fired.length, 0);
    await timers.advance(1);
    assert.deepEqual(fired, [{ cron: "* * * * *", scheduledTime: "2026-11-22T10:16:00.000Z", at: "2026-11-22T10:16:00.000Z" }]);
    await timers.advance(120_000);
    assert.deepEqual(
      fired.map((f) => f.scheduledTime),
      ["2026-11-22T10:16:00.000Z", "2026-11-22T10:17:00.000Z", "2026-11-22T10:18:00.000Z"],
    );
  });

  it("gives each matching expression its own invocation", async () => {
    const { timers, fired, scheduler } = setup(["*/2 * * * *", "* * * * *", "5 * * * *"], "2026-11-22T10:00:30");
    scheduler.start();
    await timers.advance(3 * 60_000);
    assert.deepEqual(
      fired.map((f) => `${f.scheduledTime.slice(11, 16)} ${f.cron}`),
      ["10:01 * * * * *", "10:02 */2 * * * *", "10:02 * * * * *", "10:03 * * * * *"],
    );
  });

  it("waits across hours and days for a sparse expression", async () => {
    const { timers, fired, scheduler } = setup(["30 9 * * MON"], "2026-11-22T10:00:00");
    scheduler.start();
    await timers.advance(7 * 24 * 60 * 60_000);
    assert.deepEqual(fired.map((f) => f.scheduledTime), ["2026-11-23T09:30:00.000Z"]);
  });

  it("does not replay minutes missed while the process was suspended", async () => {
    const { clock, timers, fired, scheduler } = setup(["* * * * *"], "2026-11-22T10:15:30");
    scheduler.start();
    clock.set(t("2026-11-22T10:25:10"));
    await timers.advance(0);
    await timers.advance(50_000);
    assert.deepEqual(fired.map((f) => f.scheduledTime), ["2026-11-22T10:16:00.000Z", "2026-11-22T10:26:00.000Z"]);
  });

  it("reports an expression that does not parse and runs the others", async () => {
    const { timers, fired, logger, scheduler } = setup(["* * * *", "0 * * * *"], "2026-11-22T10:15:00");
    assert.deepEqual(scheduler.crons, ["0 * * * *"]);
    assert.match(logger.lines.join("\n"), /the cron trigger "\* \* \* \*" is ignored: .*needs 5 fields/);
    scheduler.start();
    await timers.advance(60 * 60_000);
    assert.deepEqual(fired.map((f) => f.scheduledTime), ["2026-11-22T11:00:00.000Z"]);
  });

  it("stops", async () => {
    const { timers, fired, scheduler } = setup(["* * * * *"], "2026-11-22T10:15:00");
    scheduler.start();
    await timers.advance(60_000);
    scheduler.stop();
    await timers.advance(10 * 60_000);
    assert.equal(fired.length, 1);
    assert.equal(timers.pending, 0);
  });
});
