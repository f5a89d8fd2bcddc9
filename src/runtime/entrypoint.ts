/**
 * Finds the user's handlers in a loaded Worker — module format (`export default { fetch }` or a
 * `WorkerEntrypoint` class) or service-worker format (`addEventListener("fetch", ...)`) — and
 * invokes them with Workers' calling conventions. Runs inside the isolate thread.
 */
import type { MessageBatch, QueueRetryOptions } from "../bindings/queues/index.js";
import { WorkerEntrypoint, type ExecutionContextLike } from "./cloudflare-workers.js";

export interface Invocation {
  ctx: ExecutionContextLike<Record<string, unknown>>;
  /** Promises handed to waitUntil, settled or not. */
  waitUntil: Promise<unknown>[];
  passThrough: boolean;
  /** Outbound subrequests made so far (runtime/outbound/subrequests.ts). */
  subrequests: number;
}

export function newInvocation(onWaitUntilRejected: (reason: unknown) => void, props: Record<string, unknown> = {}): Invocation {
  const invocation: Invocation = {
    waitUntil: [],
    passThrough: false,
    subrequests: 0,
    ctx: {
      waitUntil(promise: Promise<unknown>) {
        const tracked = Promise.resolve(promise).catch(onWaitUntilRejected);
        invocation.waitUntil.push(tracked);
      },
      passThroughOnException() {
        invocation.passThrough = true;
      },
      props,
    },
  };
  return invocation;
}

export interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

/** The handlers of one loaded Worker, whatever its format. */
export interface WorkerHandlers {
  hasFetch: boolean;
  hasScheduled: boolean;
  hasQueue: boolean;
  /** `entrypoint`: a named export to deliver to instead of the default one (service bindings). */
  fetch(request: Request, invocation: Invocation, entrypoint?: string): Promise<unknown>;
  scheduled(controller: ScheduledController, invocation: Invocation): Promise<void>;
  /** Runs the `queue()` handler (module, WorkerEntrypoint) or the "queue" listeners (service worker). */
  queue(batch: MessageBatch, invocation: Invocation): Promise<void>;
  /** Calls (or reads) `method` of an entrypoint, for RPC over a service binding. */
  rpc(entrypoint: string | undefined, method: string, args: unknown[], invocation: Invocation): Promise<unknown>;
}

type Listener = (event: unknown) => void;

/** `addEventListener` for service-worker format, installed on the global object before load. */
export class ServiceWorkerListeners {
  private readonly listeners = new Map<string, Listener[]>();

  install(target: Record<string, unknown>): void {
    const add = (type: string, listener: Listener) => {
      const list = this.listeners.get(type) ?? [];
      list.push(listener);
      this.listeners.set(type, list);
    };
    Object.defineProperty(target, "addEventListener", { value: add, writable: true, configurable: true });
  }

  get(type: string): Listener[] {
    return this.listeners.get(type) ?? [];
  }
}

/** Names Workers RPC never exposes. */
const RPC_RESERVED = new Set(["fetch", "connect", "dup", "constructor"]);

function notImplemented(method: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${method}".`);
}

/**
 * The prototype member `name` of an entrypoint instance, found between its class and
 * WorkerEntrypoint: only methods and getters the class declares are callable over RPC, never
 * instance fields or Object.prototype members.
 */
function rpcMember(instance: object, name: string): PropertyDescriptor | undefined {
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== WorkerEntrypoint.prototype && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

type EntrypointClass = new (ctx: unknown, env: unknown) => Record<string, unknown>;

export function moduleHandlers(module: Record<string, unknown>, env: Record<string, unknown>): WorkerHandlers {
  const isEntrypointClass = (value: unknown): value is EntrypointClass =>
    typeof value === "function" && value.prototype instanceof WorkerEntrypoint;
  const exportOf = (entrypoint: string | undefined) => {
    const exported = entrypoint === undefined ? module.default : module[entrypoint];
    if (exported === undefined || exported === null) {
      throw new TypeError(entrypoint === undefined ? "The Worker has no default export." : `The Worker has no export named "${entrypoint}".`);
    }
    return exported;
  };
  // A WorkerEntrypoint class gets a fresh instance per event, as on Cloudflare.
  const receiver = (entrypoint: string | undefined, invocation: Invocation) => {
    const exported = exportOf(entrypoint);
    return isEntrypointClass(exported)
      ? { target: new exported(invocation.ctx, env), isClass: true }
      : { target: exported as Record<string, unknown>, isClass: false };
  };
  const handlerOf = (name: string): boolean => {
    const exported = module.default;
    if (isEntrypointClass(exported)) return typeof (exported.prototype as Record<string, unknown>)[name] === "function";
    return typeof exported === "object" && exported !== null && typeof (exported as Record<string, unknown>)[name] === "function";
  };

  return {
    hasFetch: handlerOf("fetch"),
    hasScheduled: handlerOf("scheduled"),
    hasQueue: handlerOf("queue"),
    async fetch(request, invocation, entrypoint) {
      const { target, isClass } = receiver(entrypoint, invocation);
      const fetch = target.fetch as ((...args: unknown[]) => unknown) | undefined;
      if (typeof fetch !== "function") throw new Error("Handler does not export a fetch() function.");
      return isClass ? fetch.call(target, request) : fetch.call(target, request, env, invocation.ctx);
    },
    async scheduled(controller, invocation) {
      const { target, isClass } = receiver(undefined, invocation);
      const scheduled = target.scheduled as (...args: unknown[]) => unknown;
      await (isClass ? scheduled.call(target, controller) : scheduled.call(target, controller, env, invocation.ctx));
    },
    async queue(batch, invocation) {
      const { target, isClass } = receiver(undefined, invocation);
      const queue = target.queue as (...args: unknown[]) => unknown;
      await (isClass ? queue.call(target, batch) : queue.call(target, batch, env, invocation.ctx));
    },
    async rpc(entrypoint, method, args, invocation) {
      const { target, isClass } = receiver(entrypoint, invocation);
      const member = isClass && !RPC_RESERVED.has(method) ? rpcMember(target, method) : undefined;
      if (!member) throw notImplemented(method);
      if (typeof member.value === "function") return await (member.value as (...a: unknown[]) => unknown).apply(target, args);
      if (member.get) return await member.get.call(target);
      return await member.value;
    },
  };
}

export function serviceWorkerHandlers(listeners: ServiceWorkerListeners): WorkerHandlers {
  return {
    async rpc(_entrypoint, method) {
      throw notImplemented(method);
    },
    get hasFetch() {
      return listeners.get("fetch").length > 0;
    },
    get hasScheduled() {
      return listeners.get("scheduled").length > 0;
    },
    get hasQueue() {
      return listeners.get("queue").length > 0;
    },
    fetch(request, invocation) {
      return new Promise((resolve, reject) => {
        let responded = false;
        const event = {
          type: "fetch",
          request,
          respondWith(response: unknown) {
            if (responded) throw new DOMException("FetchEvent.respondWith() has already been called.", "InvalidStateError");
            responded = true;
            Promise.resolve(response).then(resolve, reject);
          },
          waitUntil: (p: Promise<unknown>) => invocation.ctx.waitUntil(p),
          passThroughOnException: () => invocation.ctx.passThroughOnException(),
        };
        try {
          for (const listener of listeners.get("fetch")) listener(event);
        } catch (error) {
          reject(error);
          return;
        }
        if (!responded) reject(new Error("No response; the script did not call event.respondWith()."));
      });
    },
    async scheduled(controller, invocation) {
      const event = {
        type: "scheduled",
        scheduledTime: controller.scheduledTime,
        cron: controller.cron,
        noRetry: () => controller.noRetry(),
        waitUntil: (p: Promise<unknown>) => invocation.ctx.waitUntil(p),
      };
      for (const listener of listeners.get("scheduled")) listener(event);
    },
    async queue(batch, invocation) {
      const event = {
        type: "queue",
        queue: batch.queue,
        messages: batch.messages,
        metadata: batch.metadata,
        retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
        ackAll: () => batch.ackAll(),
        waitUntil: (p: Promise<unknown>) => invocation.ctx.waitUntil(p),
      };
      for (const listener of listeners.get("queue")) listener(event);
    },
  };
}
