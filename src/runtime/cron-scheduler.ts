/**
 * Fires a Worker's cron triggers (`triggers.crons`) while Hearth runs: at the start of every
 * scheduled UTC minute, each expression that matches it gets its own `scheduled()` invocation with
 * `controller.cron` = the expression and `scheduledTime` = that minute. Minutes missed while the
 * process slept or was stopped are not caught up. An expression that does not parse is reported
 * once and left out.
 */
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import type { Timers, TimerHandle } from "../shared/timers.js";
import { parseCron, type CronExpression } from "./cron-expression.js";

/** The longest single timer, in milliseconds; a later minute is reached by waking up again. */
const MAX_WAIT_MS = 60 * 60 * 1000;

export interface CronSchedulerOptions {
  /** The Worker's name, for log lines. */
  workerName: string;
  crons: readonly string[];
  /** Runs the Worker's `scheduled()` handler; the scheduler waits for nothing. */
  fire(cron: string, scheduledTime: number): void;
  clock: Clock;
  timers: Timers;
  logger: Logger;
}

export class CronScheduler {
  readonly #o: CronSchedulerOptions;
  readonly #expressions: CronExpression[] = [];
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(options: CronSchedulerOptions) {
    this.#o = options;
    for (const cron of new Set(options.crons)) {
      try {
        this.#expressions.push(parseCron(cron));
      } catch (error) {
        options.logger.warn(`Worker "${options.workerName}": the cron trigger "${cron}" is ignored: ${(error as Error).message}`);
      }
    }
  }

  /** The expressions that will fire. */
  get crons(): string[] {
    return this.#expressions.map((e) => e.source);
  }

  start(): void {
    this.#scheduleAfter(this.#o.clock.now());
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sets the timer for the first scheduled minute after the minute containing `ms`. */
  #scheduleAfter(ms: number): void {
    if (this.#stopped) return;
    let next: number | null = null;
    for (const expression of this.#expressions) {
      const at = expression.nextAfter(ms);
      if (at !== null && (next === null || at < next)) next = at;
    }
    if (next === null) return;
    const minute = next;
    const wait = minute - this.#o.clock.now();
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = undefined;
      if (wait > MAX_WAIT_MS && this.#o.clock.now() < minute) return this.#scheduleAfter(ms);
      this.#fire(minute);
    }, Math.min(wait, MAX_WAIT_MS));
  }

  #fire(minute: number): void {
    if (this.#stopped) return;
    for (const expression of this.#expressions) if (expression.matches(minute)) this.#o.fire(expression.source, minute);
    // From now on, not from `minute`: a late wake-up (a suspended laptop) does not replay missed minutes.
    this.#scheduleAfter(Math.max(minute, this.#o.clock.now()));
  }
}
