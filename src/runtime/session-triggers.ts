/**
 * The events of a session that no client sends: cron triggers (`triggers.crons`, one CronScheduler
 * per Worker) and queue batches (`queues.consumers`, the brokers of bindings/queues). `sync` is
 * called with the session's Workers at start and after each plan change; `dispose` stops it all
 * before the Workers go.
 */
import { QueueBrokers, type SessionQueueConsumer } from "../bindings/queues/index.js";
import type { WorkerPlan } from "../config/index.js";
import { systemClock, type Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import { systemTimers, type Timers } from "../shared/timers.js";
import { CronScheduler } from "./cron-scheduler.js";
import type { WorkerService } from "./worker-service.js";

/** A Worker of the session, as RunningWorker has it: its current plan and its service. */
export interface TriggeredWorker {
  readonly plan: WorkerPlan;
  readonly service: Pick<WorkerService, "scheduled" | "queue">;
}

export interface SessionTriggersOptions {
  logger: Logger;
  clock?: Clock;
  timers?: Timers;
}

interface RunningCrons {
  key: string;
  scheduler: CronScheduler;
}

export class SessionTriggers {
  readonly #options: SessionTriggersOptions;
  readonly #clock: Clock;
  readonly #brokers: QueueBrokers;
  readonly #crons = new Map<string, RunningCrons>();
  #workers = new Map<string, TriggeredWorker>();

  constructor(options: SessionTriggersOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#brokers = new QueueBrokers({
      logger: options.logger,
      clock: this.#clock,
      timers: options.timers,
      deliver: (workerName, delivery) => {
        const worker = this.#workers.get(workerName);
        if (worker === undefined) return Promise.reject(new Error(`Worker "${workerName}" is not running.`));
        return worker.service.queue(delivery);
      },
    });
  }

  /** Starts, restarts or stops crons and queue brokers to match these Workers' plans. */
  async sync(workers: readonly TriggeredWorker[]): Promise<void> {
    this.#workers = new Map(workers.map((w) => [w.plan.name, w]));
    for (const [name, running] of [...this.#crons]) {
      if (this.#workers.get(name) && cronKey(this.#workers.get(name)!.plan) === running.key) continue;
      running.scheduler.stop();
      this.#crons.delete(name);
    }
    for (const worker of workers) {
      const { name, triggers } = worker.plan;
      if (triggers.length === 0 || this.#crons.has(name)) continue;
      const scheduler = new CronScheduler({
        workerName: name,
        crons: triggers,
        fire: (cron, scheduledTime) => this.#fireCron(name, cron, scheduledTime),
        clock: this.#clock,
        timers: this.#options.timers ?? systemTimers,
        logger: this.#options.logger,
      });
      scheduler.start();
      this.#crons.set(name, { key: cronKey(worker.plan), scheduler });
    }
    await this.#brokers.sync(queueConsumers(workers));
  }

  async dispose(): Promise<void> {
    for (const { scheduler } of this.#crons.values()) scheduler.stop();
    this.#crons.clear();
    await this.#brokers.dispose();
  }

  #fireCron(workerName: string, cron: string, scheduledTime: number): void {
    const { logger } = this.#options;
    const worker = this.#workers.get(workerName);
    if (worker === undefined) return;
    const started = this.#clock.now();
    worker.service.scheduled(cron, scheduledTime).then(
      (result) => {
        if (result.outcome === "ok") logger.info(`[hearth] CRON "${cron}" ${new Date(scheduledTime).toISOString()} ok (${this.#clock.now() - started}ms)`);
        else logger.error(`Uncaught ${result.error?.stack ?? `exception in scheduled() for "${cron}"`}`);
      },
      (error: unknown) => logger.error(`Worker "${workerName}": the cron trigger "${cron}" could not run: ${(error as Error).message}`),
    );
  }
}

function cronKey(plan: WorkerPlan): string {
  return JSON.stringify(plan.triggers);
}

/**
 * Every consumer of the session, with the other folders its queue has: producers of the session
 * whose Worker keeps its state somewhere else write there, and those messages are consumed too.
 */
function queueConsumers(workers: readonly TriggeredWorker[]): SessionQueueConsumer[] {
  const producerDirs = new Map<string, Set<string>>();
  for (const { plan } of workers) {
    for (const binding of plan.bindings) {
      if (binding.kind !== "queue") continue;
      const dirs = producerDirs.get(binding.queueName) ?? new Set<string>();
      dirs.add(binding.dir);
      producerDirs.set(binding.queueName, dirs);
    }
  }
  return workers.flatMap(({ plan }) =>
    plan.queueConsumers.map((consumer) => ({
      workerName: plan.name,
      plan: consumer,
      otherDirs: [...(producerDirs.get(consumer.queue) ?? [])].filter((dir) => dir !== consumer.dir),
    })),
  );
}
