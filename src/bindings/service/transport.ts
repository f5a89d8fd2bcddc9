/**
 * The narrow channel a service binding uses to reach its target Worker. Inside an isolate it is
 * messages to the host (runtime/isolate.worker.ts); in Node (the library's getEnv) it calls the
 * host's router directly. Everything crossing it is structured-cloneable.
 */

/** One Durable Object of a Worker: its class and id (and name, when the id came from one). */
export interface DurableObjectAddress {
  className: string;
  id: string;
  name?: string;
}

/** Which Worker, and which of its entrypoints or Durable Objects, a binding reaches. */
export interface ServiceTarget {
  service: string;
  entrypoint?: string;
  props?: Record<string, unknown>;
  durableObject?: DurableObjectAddress;
}

/** A request to the target's fetch handler. The body is read whole by the caller. */
export interface ServiceRequest {
  method: string;
  url: string;
  /** Header names and values alternating. */
  headers: string[];
  body: Uint8Array | null;
}

/** The target's answer: a whole body, or a stream the caller reads chunk by chunk. */
export interface ServiceResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: null | Uint8Array | string | ReadableStream<Uint8Array>;
  /** A 101 answer's WebSocket (a Workers WebSocket of the caller's isolate), for `Response.webSocket`. */
  webSocket?: unknown;
}

/** An error thrown by the target (or by Hearth on its behalf), to be re-thrown in the caller. */
export interface ServiceError {
  name: string;
  message: string;
}

export interface ServiceTransport {
  fetch(request: ServiceRequest): Promise<ServiceResponse>;
  /** Calls `method` on the target entrypoint (or reads it, when it is not a function). */
  call(method: string, args: unknown[]): Promise<{ ok: true; value: unknown } | { ok: false; error: ServiceError }>;
}
