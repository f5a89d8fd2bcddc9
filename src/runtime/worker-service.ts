/**
 * One Worker as the host serves it: its current isolate, replaced when it dies (CPU or memory
 * limit, crash) or when a new build arrives. Events that user code never saw when an isolate
 * died are sent again to its replacement; events it was handling fail with the reason.
 */
import type { Readable } from "node:stream";
import type { BindingDescriptor } from "../bindings/descriptor.js";
import type { HostedClass } from "../bindings/durable-objects/index.js";
import type { Logger } from "../shared/log.js";
import type { Bundle } from "./bundle.js";
import { Isolate, type IsolateResponse, type QueueResult, type ScheduledResult } from "./isolate.js";
import { IsolateGoneError } from "./isolate-errors.js";
import type { IsolateLimits } from "./limits.js";
import type { QueueDelivery, RpcCall, RpcOutcome, WireRequest } from "./protocol.js";
import type { ServiceRouter } from "./service-router.js";

export interface WorkerServiceOptions {
  name: string;
  bindings: BindingDescriptor[];
  hostedClasses: HostedClass[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** The state root; the isolate's Cache API stores under `<stateRoot>/cache/`. */
  stateRoot: string;
  limits: IsolateLimits;
  logger: Logger;
  router?: ServiceRouter;
}

/** How long a replaced isolate may keep finishing its in-flight requests. */
const DRAIN_TIMEOUT_MS = 30_000;
const DRAIN_POLL_MS = 100;

export class WorkerService {
  private bundle: Bundle;
  private current: Isolate;
  private disposed = false;

  private constructor(
    private options: WorkerServiceOptions,
    bundle: Bundle,
    isolate: Isolate,
  ) {
    this.bundle = bundle;
    this.current = isolate;
    this.watch(isolate);
  }

  /** Starts the first isolate; rejects if the Worker's top-level code throws. */
  static async start(options: WorkerServiceOptions, bundle: Bundle): Promise<WorkerService> {
    const isolate = WorkerService.spawn(options, bundle);
    await isolate.whenReady();
    return new WorkerService(options, bundle, isolate);
  }

  get format(): Bundle["format"] {
    return this.bundle.format;
  }

  /**
   * Replaces the isolate with one running `bundle` (and, when given, new bindings). The old
   * isolate finishes what it is doing. Rejects, keeping the old isolate, if the new one fails to load.
   */
  async swap(bundle: Bundle, options: Partial<WorkerServiceOptions> = {}): Promise<void> {
    const nextOptions = { ...this.options, ...options };
    const next = WorkerService.spawn(nextOptions, bundle);
    await next.whenReady();
    const previous = this.current;
    this.options = nextOptions;
    this.bundle = bundle;
    this.current = next;
    this.watch(next);
    void this.drain(previous);
  }

  fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse> {
    return this.onCurrentIsolate((isolate) => isolate.fetch(request, body));
  }

  scheduled(cron: string, scheduledTime: number): Promise<ScheduledResult> {
    return this.onCurrentIsolate((isolate) => isolate.scheduled(cron, scheduledTime));
  }

  /** Hands a batch of queue messages to the Worker's `queue()` handler. */
  queue(delivery: QueueDelivery): Promise<QueueResult> {
    return this.onCurrentIsolate((isolate) => isolate.queue(delivery));
  }

  rpc(call: RpcCall): Promise<RpcOutcome> {
    return this.onCurrentIsolate((isolate) => isolate.rpc(call));
  }

  /** Runs an event on the current isolate; again on its replacement if it died before starting it. */
  private async onCurrentIsolate<T>(event: (isolate: Isolate) => Promise<T>): Promise<T> {
    for (;;) {
      const isolate = this.current;
      try {
        await isolate.whenReady();
        return await event(isolate);
      } catch (error) {
        if (!(error instanceof IsolateGoneError) || error.started || this.disposed || isolate === this.current) throw error;
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.current.terminate();
  }

  private static spawn(options: WorkerServiceOptions, bundle: Bundle): Isolate {
    return new Isolate({
      entryUrl: bundle.entryUrl,
      format: bundle.format,
      bindings: options.bindings,
      hostedClasses: options.hostedClasses,
      compatibilityDate: options.compatibilityDate,
      compatibilityFlags: options.compatibilityFlags,
      workerName: options.name,
      stateRoot: options.stateRoot,
      limits: options.limits,
      logger: options.logger,
      router: options.router,
    });
  }

  /** When the current isolate dies, start its replacement at once. */
  private watch(isolate: Isolate): void {
    isolate.once("exit", (reason) => {
      if (this.disposed || isolate !== this.current) return;
      if (reason === "cpu" || reason === "memory") {
        this.options.logger.error(
          `Worker "${this.options.name}" exceeded its ${reason === "cpu" ? `CPU time limit (${this.options.limits.cpuMs} ms)` : `memory limit (${this.options.limits.memoryMb} MB)`}; its isolate was replaced.`,
        );
      }
      this.current = WorkerService.spawn(this.options, this.bundle);
      this.watch(this.current);
    });
  }

  private async drain(isolate: Isolate): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (isolate.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    await isolate.terminate();
  }
}
