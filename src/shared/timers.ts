/**
 * Timers Hearth's schedulers use (queue brokers, cron triggers), injected like the clock so tests
 * can move time by hand instead of waiting.
 */
import { clearTimeout as nodeClearTimeout, setTimeout as nodeSetTimeout } from "node:timers";
import type { Clock } from "./clock.js";

/** An opaque handle of a pending timer. */
export type TimerHandle = object;

export interface Timers {
  /** Calls `callback` once, after about `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers, unref'd: a pending timer never keeps the process alive on its own. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const timer = nodeSetTimeout(callback, Math.max(0, ms));
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    nodeClearTimeout(handle as ReturnType<typeof nodeSetTimeout>);
  },
};

/** Timers driven by a test: `advance(ms)` moves `clock` and runs what fell due, in time order. */
export function manualTimers(clock: Clock & { set(ms: number): void }): Timers & {
  advance(ms: number): Promise<void>;
  readonly pending: number;
} {
  let nextId = 0;
  const due = new Map<object, { at: number; id: number; callback: () => void }>();
  return {
    setTimeout(callback, ms) {
      const handle = {};
      due.set(handle, { at: clock.now() + Math.max(0, ms), id: nextId++, callback });
      return handle;
    },
    clearTimeout(handle) {
      due.delete(handle as object);
    },
    get pending() {
      return due.size;
    },
    async advance(ms) {
      const end = clock.now() + ms;
      for (;;) {
        // Let promise callbacks of earlier timers run (they may set new timers) before looking again.
        await new Promise((resolve) => nodeSetTimeout(resolve, 0));
        let first: [object, { at: number; id: number; callback: () => void }] | undefined;
        for (const entry of due) if (entry[1].at <= end && (!first || entry[1].at < first[1].at || (entry[1].at === first[1].at && entry[1].id < first[1].id))) first = entry;
        if (!first) break;
        due.delete(first[0]);
        clock.set(Math.max(clock.now(), first[1].at));
        first[1].callback();
      }
      clock.set(end);
    },
  };
}
