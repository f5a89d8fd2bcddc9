/** How an event sent to an isolate can fail, as the host sees it. */
import type { WireError } from "./protocol.js";

/** Why an isolate stopped. "cpu" and "memory" are Cloudflare's error 1102. */
export type IsolateExitReason = "cpu" | "memory" | "crash" | "terminated";

/** A fetch whose handler threw (the isolate lives on). */
export class HandlerError extends Error {
  constructor(
    readonly wire: WireError,
    readonly passThrough: boolean,
  ) {
    super(wire.message);
  }
}

/** The isolate stopped before answering. `started` is false when user code never saw the event. */
export class IsolateGoneError extends Error {
  constructor(
    readonly reason: IsolateExitReason,
    readonly started: boolean,
  ) {
    super(`isolate stopped: ${reason}`);
  }
}
