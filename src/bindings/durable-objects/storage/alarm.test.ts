import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedClock } from "../../../shared/clock.js";
import { failure, nextTurn, openTestStorage } from "./test-helpers.js";

const NOW = 1_700_000_000_000;

function alarmStorage() {
  const clock = fixedClock(NOW);
  const test = openTestStorage({ clock });
  const changes: (number | null)[] = [];
  test.storage.onAlarmChange = (time) => changes.push(time);
  return { ...test, clock, changes, s: test.storage.api };
}

describe("alarms", () => {
  it("getAlarm is null until setAlarm(number | Date); setAlarm resolves to undefined", async () => {
    const { s } = alarmStorage();
    assert.equal(await s.getAlarm(), null);
    assert.equal(await s.setAlarm(NOW + 1500), undefined);
    assert.equal(await s.getAlarm(), NOW + 1500);
    await s.setAlarm(new Date(NOW + 2500));
    assert.equal(await s.getAlarm(), NOW + 2500);
  });

  it("deleteAlarm clears it; setting again replaces it", async () => {
    const { s } = alarmStorage();
    await s.setAlarm(NOW + 600_000);
    await s.setAlarm(NOW + 800);
    assert.equal(await s.getAlarm(), NOW + 800);
    assert.equal(await s.deleteAlarm(), undefined);
    assert.equal(await s.getAlarm(), null);
  });

  it("stores a time in the past as now (whole milliseconds)", async () => {
    const { s, clock } = alarmStorage();
    clock.advance(0.6);
    await s.setAlarm(5);
    assert.equal(await s.getAlarm(), NOW);
    await s.setAlarm(NOW + 10.9);
    assert.equal(await s.getAlarm(), NOW + 10);
  });

  it("rejects times <= 0 and classes without an alarm() handler", async () => {
    const { s, storage } = alarmStorage();
    assert.equal(await failure(() => s.setAlarm(0)), "TypeError: setAlarm() cannot be called with an alarm time <= 0");
    assert.equal(await failure(() => s.setAlarm(new Date(-5))), "TypeError: setAlarm() cannot be called with an alarm time <= 0");
    assert.match(await failure(() => s.setAlarm("soon" as unknown as number)), /^TypeError: setAlarm\(\) requires a Date/);
    storage.hasAlarmHandler = false;
    assert.equal(
      await failure(() => s.setAlarm(NOW + 1)),
      "TypeError: Your Durable Object class must have an alarm() handler in order to call setAlarm()",
    );
    await s.deleteAlarm(); // still allowed
  });

  it("tells the engine the new time after the commit, once per change, and not for rolled-back writes", async () => {
    const { s, storage, changes } = alarmStorage();
    assert.equal(storage.alarmTime(), null);
    await s.setAlarm(NOW + 1000);
    await s.setAlarm(NOW + 2000);
    assert.deepEqual(changes, [], "nothing before the commit");
    assert.equal(storage.alarmTime(), null, "alarmTime() is the committed alarm");
    storage.flush();
    assert.deepEqual(changes, [NOW + 2000]);
    assert.equal(storage.alarmTime(), NOW + 2000);
    await s.transaction(async (txn) => {
      await txn.setAlarm(NOW + 3000);
      assert.equal(await txn.getAlarm(), NOW + 3000);
      throw new Error("undo");
    }).catch(() => undefined);
    await nextTurn();
    assert.deepEqual(changes, [NOW + 2000]);
    await s.transaction(async (txn) => {
      await txn.deleteAlarm();
    });
    assert.deepEqual(changes, [NOW + 2000, null]);
  });

  it("persists across close and reopen", async () => {
    const test = alarmStorage();
    await test.s.setAlarm(NOW + 5000);
    test.storage.close();
    const reopened = test.reopen();
    assert.equal(reopened.alarmTime(), NOW + 5000);
    assert.equal(await reopened.api.getAlarm(), NOW + 5000);
    reopened.close();
  });
});
