/**
 * Messages between the host (main thread) and an isolate (worker thread). Everything here is
 * structured-cloneable; body chunks are transferred, not copied.
 *
 * A fetch travels as: host `fetch` → isolate `response` (+ `chunk`s and `end` when streamed).
 * A request body is pulled: the isolate sends `body-pull` when its stream wants data, the host
 * answers with one `body-chunk` or `body-end`. A response body is pushed with a window: the isolate
 * sends up to RESPONSE_WINDOW_BYTES ahead of the host's `chunk-ack`s, so a slow client slows the
 * Worker instead of filling memory.
 */
import type { BindingDescriptor } from "../bindings/descriptor.js";
import type { HostedClass } from "../bindings/durable-objects/index.js";
import type { DurableObjectAddress, ServiceTarget } from "../bindings/service/index.js";
import type { QueueDelivery, QueueMessageDecision } from "../bindings/queues/index.js";

export type { DurableObjectAddress, QueueDelivery, QueueMessageDecision, ServiceTarget };

export const RESPONSE_WINDOW_BYTES = 1024 * 1024;

/** What the host tells a new isolate in `workerData`. */
export interface IsolateInit {
  /** file:// URL of the bundled entry module. */
  entryUrl: string;
  format: "modules" | "service-worker";
  bindings: BindingDescriptor[];
  /** Durable Object classes the Worker defines; their objects run in this isolate. */
  hostedClasses: HostedClass[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  workerName: string;
  /** The state root (`.hearth/state` or `--persist-to`): the Cache API keeps its files under `<stateRoot>/cache/`. */
  stateRoot: string;
  /** Outbound subrequests one invocation may make (`limits.subrequests`). */
  subrequestLimit: number;
  /** Shared counter the isolate bumps on a timer; the host watches it to detect a blocked event loop. */
  heartbeat: SharedArrayBuffer;
  heartbeatIntervalMs: number;
}

export interface WireRequest {
  id: number;
  method: string;
  url: string;
  /** Header names and values alternating, in arrival order; repeated names stay separate. */
  headers: string[];
  /** "none": no body; "stream": pull it with `body-pull`; a Uint8Array: the whole body, already read. */
  body: "none" | "stream" | Uint8Array;
  /** "1.1", "2.0" ...: the protocol version `request.cf.httpProtocol` reports. */
  httpVersion: string;
  /** Values that replace the local defaults of `request.cf`. */
  cf?: Record<string, unknown>;
  /** Named export to deliver to instead of the default export (service bindings). */
  entrypoint?: string;
  /** `ctx.props` for the handler (service bindings). */
  props?: Record<string, unknown>;
  /** Deliver to this Durable Object of the Worker instead of its fetch handler. */
  durableObject?: DurableObjectAddress;
}

/** An RPC call: to an entrypoint of a Worker, or to one of its Durable Objects. */
export interface RpcCall {
  entrypoint?: string;
  props?: Record<string, unknown>;
  durableObject?: DurableObjectAddress;
  method: string;
  args: unknown[];
}

/** An RPC call's outcome. */
export type RpcOutcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

export interface WireResponse {
  id: number;
  status: number;
  statusText: string;
  headers: [string, string][];
  /**
   * null: no body; the whole body as bytes, or as text when the Worker made it from a string
   * (Node then writes head and body in one system call); "stream": `chunk` messages follow, then `end`.
   */
  body: null | Uint8Array | WholeText | "stream";
  /** A 101 response whose WebSocket the host connects to the client (`ws-*` messages follow). */
  webSocket?: true;
}

export interface WholeText {
  text: string;
}

/** What the isolate reports when a handler threw and nothing caught it. */
export interface WireError {
  message: string;
  name: string;
  /** Source-mapped stack, as user code would print it. */
  stack: string;
}

export type HostToIsolate =
  | { t: "fetch"; req: WireRequest }
  | { t: "scheduled"; id: number; cron: string; scheduledTime: number }
  /** A batch of queue messages for the Worker's `queue()` handler. */
  | ({ t: "queue"; id: number } & QueueDelivery)
  | { t: "body-chunk"; id: number; chunk: Uint8Array }
  | { t: "body-end"; id: number }
  | { t: "body-error"; id: number; message: string }
  | { t: "chunk-ack"; id: number; bytes: number }
  /** The client went away: stop streaming the response. */
  | { t: "abort"; id: number }
  /** A message from the client of the WebSocket response of fetch `id`. */
  | { t: "ws-message"; id: number; data: string | ArrayBuffer }
  | { t: "ws-closed"; id: number; code: number; reason: string; wasClean: boolean }
  /** Call a method of one of this Worker's entrypoints (RPC from a service binding). */
  | ({ t: "rpc"; id: number } & RpcCall)
  /** Answers to this isolate's own service-binding calls (`sub` ids are the isolate's). */
  | { t: "sub-response"; sub: number; res: Omit<WireResponse, "id"> }
  | { t: "sub-failed"; sub: number; error: WireError }
  | { t: "sub-chunk"; sub: number; chunk: Uint8Array }
  | { t: "sub-end"; sub: number }
  | { t: "sub-body-error"; sub: number; message: string }
  | { t: "sub-rpc-result"; sub: number; outcome: RpcOutcome }
  /** The target of service-binding call `sub` answered with a WebSocket: what it sent, and its close. */
  | { t: "sub-ws-message"; sub: number; data: string | ArrayBuffer }
  | { t: "sub-ws-closed"; sub: number; code: number; reason: string; wasClean: boolean };

export type IsolateToHost =
  | { t: "ready" }
  | { t: "load-error"; error: WireError }
  | { t: "response"; res: WireResponse }
  | { t: "chunk"; id: number; chunk: Uint8Array }
  | { t: "end"; id: number }
  /** The handler threw (or the response body stream errored before the head was sent). */
  | { t: "error"; id: number; error: WireError; passThrough: boolean }
  | { t: "stream-error"; id: number; error: WireError }
  | { t: "scheduled-done"; id: number; outcome: "ok" | "exception"; noRetry: boolean; error?: WireError }
  /** How a `queue` event ended, and the verdict on each of its messages. */
  | { t: "queue-done"; id: number; outcome: "ok" | "exception"; decisions: QueueMessageDecision[]; error?: WireError }
  | { t: "body-pull"; id: number }
  | { t: "rpc-result"; id: number; outcome: RpcOutcome }
  /** Service-binding calls made by user code, numbered by the isolate. */
  | { t: "sub-fetch"; sub: number; target: ServiceTarget; req: { method: string; url: string; headers: string[]; body: Uint8Array | null } }
  | { t: "sub-rpc"; sub: number; target: ServiceTarget; method: string; args: unknown[] }
  /** The caller wants the next chunk of a streamed service-binding response. */
  | { t: "sub-pull"; sub: number }
  /** The caller stopped reading a streamed service-binding response. */
  | { t: "sub-cancel"; sub: number }
  /** The caller sent a message to (or closed) the WebSocket its service-binding call `sub` got. */
  | { t: "sub-ws-send"; sub: number; data: string | ArrayBuffer }
  | { t: "sub-ws-close"; sub: number; code: number; reason: string }
  /** The Worker sent a message to (or closed) the client of WebSocket `id`. */
  | { t: "ws-send"; id: number; data: string | ArrayBuffer }
  | { t: "ws-close"; id: number; code: number; reason: string }
  /** Something the host should log: a rejected waitUntil promise, an unhandled rejection ... */
  | { t: "log"; level: "warn" | "error"; text: string };
