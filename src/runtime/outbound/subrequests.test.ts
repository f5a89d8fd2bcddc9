import assert from "node:assert/strict";
import { test } from "node:test";
import { TOO_MANY_SUBREQUESTS } from "./errors.js";
import { SubrequestBudget, type Metered } from "./subrequests.js";

const invocation = (): Metered => ({ subrequests: 0, waitUntil: [] });
const tick = () => new Promise((resolve) => setImmediate(resolve));

test("a subrequest made while one invocation is in flight is charged to it, up to the limit", () => {
  const budget = new SubrequestBudget(2);
  const one = invocation();
  budget.begin(one);
  budget.charge();
  budget.charge();
  assert.throws(() => budget.charge(), { name: "Error", message: TOO_MANY_SUBREQUESTS });
  assert.equal(one.subrequests, 2);
  budget.finish(one);
  // Nothing in flight (module scope, stray promises): nothing to charge.
  budget.charge();
  assert.equal(one.subrequests, 2);
});

test("overlapping invocations switch on exact tracking; later invocations are charged through their context", async () => {
  const budget = new SubrequestBudget(10);
  const [a, b] = [invocation(), invocation()];
  budget.begin(a);
  budget.begin(b);
  assert.equal(budget.tracking, false);
  budget.charge();
  assert.equal(budget.tracking, true, "the first ambiguous subrequest turns tracking on");
  assert.deepEqual([a.subrequests, b.subrequests], [0, 0], "and is charged to nobody");
  const [c, d] = [invocation(), invocation()];
  budget.begin(c);
  budget.begin(d);
  await Promise.all([
    budget.run(c, async () => {
      await tick();
      budget.charge();
      budget.charge();
    }),
    budget.run(d, async () => {
      await tick();
      budget.charge();
    }),
  ]);
  assert.deepEqual([c.subrequests, d.subrequests], [2, 1]);
});

test("an invocation lasts until its waitUntil promises settle", async () => {
  const budget = new SubrequestBudget(10);
  const one = invocation();
  let release!: () => void;
  one.waitUntil.push(new Promise<void>((resolve) => (release = resolve)));
  budget.begin(one);
  budget.finish(one);
  budget.charge();
  assert.equal(one.subrequests, 1, "still charged after the response, from waitUntil work");
  release();
  await tick();
  budget.charge();
  assert.equal(one.subrequests, 1, "over once the promises settled");
});
