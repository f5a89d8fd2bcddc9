/**
 * Counts outbound subrequests (fetch hops and WebSocket connections) per invocation and throws
 * Cloudflare's error past `limits.subrequests`.
 *
 * Attribution without slowing every request: Node 20's AsyncLocalStorage turns on promise hooks
 * for the whole thread, which costs every request of every Worker. So by default nothing is
 * tracked across awaits. The isolate keeps the set of invocations in flight; a subrequest made
 * while exactly one is in flight belongs to it — exact whenever requests do not overlap, which is
 * the usual case in development. The first subrequest made while several overlap cannot be
 * attributed; it is not counted, and from then on this isolate runs each new invocation inside an
 * AsyncLocalStorage context, so later subrequests are attributed exactly. Only Workers that make
 * subrequests from overlapping invocations pay for the tracking.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import { TOO_MANY_SUBREQUESTS } from "./errors.js";

/** An invocation, as far as the budget cares. */
export interface Metered {
  /** Subrequests charged so far. */
  subrequests: number;
  /** Promises handed to waitUntil: the invocation lasts until they settle. */
  waitUntil: Promise<unknown>[];
}

/** How long an invocation may keep running after its response for its waitUntil promises (Cloudflare: 30 s). */
export const WAIT_UNTIL_GRACE_MS = 30_000;

export class SubrequestBudget {
  readonly #active = new Set<Metered>();
  #tracking: AsyncLocalStorage<Metered> | undefined;

  constructor(readonly limit: number) {}

  /** Whether invocations are now tracked across awaits (after the first ambiguous subrequest). */
  get tracking(): boolean {
    return this.#tracking !== undefined;
  }

  /** An invocation started. */
  begin(invocation: Metered): void {
    this.#active.add(invocation);
  }

  /** Runs the invocation's handler: inside its tracking context once tracking is on, else directly. */
  run<T>(invocation: Metered, fn: () => T): T {
    return this.#tracking ? this.#tracking.run(invocation, fn) : fn();
  }

  /** The invocation's handler is done: it ends now, or when its waitUntil promises settle. */
  finish(invocation: Metered): void {
    const pending = invocation.waitUntil.length;
    if (pending === 0) {
      this.#active.delete(invocation);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WAIT_UNTIL_GRACE_MS);
      timer.unref();
    });
    void Promise.race([Promise.allSettled(invocation.waitUntil), grace]).then(() => {
      clearTimeout(timer);
      // waitUntil() may have been called again meanwhile.
      if (invocation.waitUntil.length > pending) this.finish(invocation);
      else this.#active.delete(invocation);
    });
  }

  /** Counts one subrequest against the invocation making it; throws past the limit. */
  charge(): void {
    const owner = this.#owner();
    if (!owner) return;
    if (owner.subrequests >= this.limit) throw new Error(TOO_MANY_SUBREQUESTS);
    owner.subrequests++;
  }

  #owner(): Metered | undefined {
    const tracked = this.#tracking?.getStore();
    if (tracked) return tracked;
    if (this.#active.size === 1) return this.#active.values().next().value;
    if (this.#active.size > 1) this.#tracking ??= new AsyncLocalStorage<Metered>();
    return undefined;
  }
}
