/**
 * Finds the user's handlers in a loaded Worker — module format (`export default { fetch }` or a
 * `WorkerEntrypoint` class) or service-worker format (`addEventListener("fetch", ...)`) — and
 * invokes them with Workers' calling conventions. Runs inside the isolate thread.
 */
import { WorkerEntrypoint, type ExecutionContextLike } from "./cloudflare-workers.js";

export interface Invocation {
  ctx: ExecutionContextLike<Record<string, unknown>>;
  /** Promises handed to waitUntil, settled or not. */
  waitUntil: Promise<unknown>[];
  passThrough: boolean;
}

export function newInvocation(onWaitUntilRejected: (reason: unknown) => void): Invocation {
  const invocation: Invocation = {
    waitUntil: [],
    passThrough: false,
    ctx: {
      waitUntil(promise: Promise<unknown>) {
        const tracked = Promise.resolve(promise).catch(onWaitUntilRejected);
        invocation.waitUntil.push(tracked);
      },
      passThroughOnException() {
        invocation.passThrough = true;
      },
      props: {},
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
  fetch(request: Request, invocation: Invocation): Promise<unknown>;
  scheduled(controller: ScheduledController, invocation: Invocation): Promise<void>;
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

export function moduleHandlers(module: Record<string, unknown>, env: Record<string, unknown>): WorkerHandlers {
  const exported = module.default as Record<string, unknown> | (new (...args: unknown[]) => unknown) | undefined;
  const isEntrypointClass = typeof exported === "function" && exported.prototype instanceof WorkerEntrypoint;

  // A WorkerEntrypoint class gets a fresh instance per event, as on Cloudflare.
  const target = (invocation: Invocation): Record<string, unknown> | undefined =>
    isEntrypointClass
      ? (new (exported as new (ctx: unknown, env: unknown) => Record<string, unknown>)(invocation.ctx, env) as Record<string, unknown>)
      : (exported as Record<string, unknown> | undefined);
  const handlerOf = (name: string): boolean => {
    if (isEntrypointClass) return typeof (exported as { prototype: Record<string, unknown> }).prototype[name] === "function";
    return typeof exported === "object" && exported !== null && typeof exported[name] === "function";
  };

  return {
    hasFetch: handlerOf("fetch"),
    hasScheduled: handlerOf("scheduled"),
    async fetch(request, invocation) {
      const t = target(invocation)!;
      const fetch = t.fetch as (...args: unknown[]) => unknown;
      return isEntrypointClass ? fetch.call(t, request) : fetch.call(t, request, env, invocation.ctx);
    },
    async scheduled(controller, invocation) {
      const t = target(invocation)!;
      const scheduled = t.scheduled as (...args: unknown[]) => unknown;
      await (isEntrypointClass ? scheduled.call(t, controller) : scheduled.call(t, controller, env, invocation.ctx));
    },
  };
}

export function serviceWorkerHandlers(listeners: ServiceWorkerListeners): WorkerHandlers {
  return {
    get hasFetch() {
      return listeners.get("fetch").length > 0;
    },
    get hasScheduled() {
      return listeners.get("scheduled").length > 0;
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
  };
}
