/**
 * One isolate, host side: a worker thread running one build of one Worker. Sends it events,
 * streams bodies both ways, and watches it: an isolate whose event loop stays blocked past the
 * CPU limit, or that runs out of heap, is terminated and reports why, so its owner can replace it.
 */
import { EventEmitter } from "node:events";
import type { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { HearthError } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";
import { IsolateBodyStream, pullChunk } from "./host-body.js";
import { HandlerError, IsolateGoneError, type IsolateExitReason } from "./isolate-errors.js";
import { IsolateWebSocket } from "./isolate-websocket.js";
import { ServiceRelay } from "./service-relay.js";
import type { ServiceRouter } from "./service-router.js";
import { HEARTBEAT_INTERVAL_MS, ISOLATE_YOUNG_GENERATION_MB, type IsolateLimits } from "./limits.js";
import type {
  HostToIsolate,
  IsolateInit,
  IsolateToHost,
  QueueDelivery,
  QueueMessageDecision,
  RpcCall,
  RpcOutcome,
  WholeText,
  WireError,
  WireRequest,
  WireResponse,
} from "./protocol.js";

export interface IsolateOptions extends Omit<IsolateInit, "heartbeat" | "heartbeatIntervalMs" | "subrequestLimit"> {
  limits: IsolateLimits;
  logger: Logger;
  /** Where this Worker's service bindings lead. */
  router?: ServiceRouter;
}


export interface IsolateResponse {
  head: Omit<WireResponse, "body">;
  /** null for no body; a whole body (bytes or text); or a stream for a streamed one. */
  body: null | Uint8Array | WholeText | Readable;
  /** For a 101 response: the Worker's WebSocket, to connect to the client. */
  webSocket?: IsolateWebSocket;
}


interface PendingFetch {
  kind: "fetch";
  resolve(response: IsolateResponse): void;
  reject(error: Error): void;
  body?: Readable;
  stream?: IsolateBodyStream;
}

interface PendingRpc {
  kind: "rpc";
  resolve(outcome: RpcOutcome): void;
  reject(error: Error): void;
}

interface PendingScheduled {
  kind: "scheduled";
  resolve(result: ScheduledResult): void;
  reject(error: Error): void;
}

interface PendingQueue {
  kind: "queue";
  resolve(result: QueueResult): void;
  reject(error: Error): void;
}

/** How a `queue()` invocation ended, and the verdict on each message of its batch. */
export interface QueueResult {
  outcome: "ok" | "exception";
  decisions: QueueMessageDecision[];
  error?: WireError;
}

export interface ScheduledResult {
  outcome: "ok" | "exception";
  noRetry: boolean;
  error?: WireError;
}

let nextEventId = 1;

export class Isolate extends EventEmitter<{ exit: [IsolateExitReason] }> {
  private readonly worker: Worker;
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly pending = new Map<number, PendingFetch | PendingScheduled | PendingRpc | PendingQueue>();
  private readonly relay: ServiceRelay;
  private readonly sockets = new Map<number, IsolateWebSocket>();
  private readonly watchdog: NodeJS.Timeout;
  private lastBeat = 0;
  private lastBeatAt = Date.now();
  private exitReason: IsolateExitReason | undefined;
  private readonly ready: Promise<void>;

  constructor(private readonly options: IsolateOptions) {
    super();
    this.relay = new ServiceRelay((message) => this.send(message), options.router);
    const init: IsolateInit = {
      entryUrl: options.entryUrl,
      format: options.format,
      bindings: options.bindings,
      hostedClasses: options.hostedClasses,
      compatibilityDate: options.compatibilityDate,
      compatibilityFlags: options.compatibilityFlags,
      workerName: options.workerName,
      stateRoot: options.stateRoot,
      subrequestLimit: options.limits.subrequests,
      heartbeat: this.shared.buffer as SharedArrayBuffer,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    };
    this.worker = new Worker(new URL("./isolate.worker.js", import.meta.url), {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: options.limits.memoryMb, maxYoungGenerationSizeMb: ISOLATE_YOUNG_GENERATION_MB },
      // Node 20 keeps its WHATWG WebSocket client behind this flag; Workers has it as a global.
      execArgv: process.versions.node.startsWith("20.") ? ["--experimental-websocket"] : [],
      stdout: false,
      stderr: false,
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: IsolateToHost) => {
        if (message.t === "ready") resolve();
        else if (message.t === "load-error") {
          reject(new HearthError("ERR_WORKER_LOAD", `The Worker failed to start:\n${message.error.stack}`));
          void this.worker.terminate();
        }
      };
      this.worker.on("message", onMessage);
      this.worker.once("exit", () => reject(new HearthError("ERR_WORKER_LOAD", `The Worker exited while starting (${this.exitReason ?? "crash"}).`)));
    });
    this.ready.catch(() => {});
    this.worker.on("message", (message: IsolateToHost) => this.onMessage(message));
    this.worker.on("error", (error: Error & { code?: string }) => {
      this.exitReason ??= error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash";
      if (this.exitReason === "crash") options.logger.error(`The Worker's isolate crashed: ${error.stack ?? error.message}`);
    });
    this.worker.on("exit", () => this.onExit());
    this.watchdog = setInterval(() => this.checkHeartbeat(), Math.max(HEARTBEAT_INTERVAL_MS * 2, Math.min(options.limits.cpuMs / 4, 250)));
    this.watchdog.unref();
  }

  /** Resolves once the Worker's top-level code has run; rejects with its error if it threw. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request. `body` is a paused stream the isolate pulls from, when the request has one. */
  fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse> {
    const id = nextEventId++;
    return new Promise((resolve, reject) => {
      if (this.exitReason) return reject(new IsolateGoneError(this.exitReason, false));
      const wireBody = body === undefined ? "none" : body instanceof Uint8Array ? body : "stream";
      this.pending.set(id, { kind: "fetch", resolve, reject, body: body instanceof Uint8Array ? undefined : body });
      this.send({ t: "fetch", req: { ...request, id, body: wireBody } });
    });
  }

  scheduled(cron: string, scheduledTime: number): Promise<ScheduledResult> {
    const id = nextEventId++;
    return new Promise((resolve, reject) => {
      if (this.exitReason) return reject(new IsolateGoneError(this.exitReason, false));
      this.pending.set(id, { kind: "scheduled", resolve, reject });
      this.send({ t: "scheduled", id, cron, scheduledTime });
    });
  }

  /** Hands a batch of queue messages to the Worker's `queue()` handler. */
  queue(delivery: QueueDelivery): Promise<QueueResult> {
    const id = nextEventId++;
    return new Promise((resolve, reject) => {
      if (this.exitReason) return reject(new IsolateGoneError(this.exitReason, false));
      this.pending.set(id, { kind: "queue", resolve, reject });
      this.send({ t: "queue", id, ...delivery });
    });
  }

  /** Calls a method of one of the Worker's entrypoints (RPC over a service binding). */
  rpc(call: RpcCall): Promise<RpcOutcome> {
    const id = nextEventId++;
    return new Promise((resolve, reject) => {
      if (this.exitReason) return reject(new IsolateGoneError(this.exitReason, false));
      this.pending.set(id, { kind: "rpc", resolve, reject });
      this.send({ t: "rpc", id, ...call });
    });
  }

  async terminate(): Promise<void> {
    this.exitReason ??= "terminated";
    await this.worker.terminate();
  }

  private send(message: HostToIsolate): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: IsolateToHost): void {
    switch (message.t) {
      case "response": {
        const pending = this.pending.get(message.res.id);
        if (pending?.kind !== "fetch") return;
        if (message.res.webSocket) {
          const id = message.res.id;
          const socket = new IsolateWebSocket(
            (data) => this.send({ t: "ws-message", id, data }),
            (code, reason, wasClean) => {
              this.sockets.delete(id);
              this.send({ t: "ws-closed", id, code, reason, wasClean });
            },
          );
          this.sockets.set(id, socket);
          this.pending.delete(id);
          pending.resolve({ head: message.res, body: null, webSocket: socket });
        } else if (message.res.body === "stream") {
          const id = message.res.id;
          pending.stream = new IsolateBodyStream(
            (bytes) => this.send({ t: "chunk-ack", id, bytes }),
            () => {
              if (this.pending.delete(id)) this.send({ t: "abort", id });
            },
          );
          pending.resolve({ head: message.res, body: pending.stream });
        } else {
          this.pending.delete(message.res.id);
          pending.resolve({ head: message.res, body: message.res.body });
        }
        return;
      }
      case "chunk":
        this.streamOf(message.id)?.deliver(message.chunk);
        return;
      case "end": {
        const stream = this.streamOf(message.id);
        this.pending.delete(message.id);
        stream?.push(null);
        return;
      }
      case "stream-error": {
        const stream = this.streamOf(message.id);
        this.pending.delete(message.id);
        this.options.logger.error(`The response body stream failed: ${message.error.stack}`);
        stream?.destroy(new Error(message.error.message));
        return;
      }
      case "error": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        pending?.reject(new HandlerError(message.error, message.passThrough));
        return;
      }
      case "scheduled-done": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (pending?.kind === "scheduled") pending.resolve({ outcome: message.outcome, noRetry: message.noRetry, error: message.error });
        return;
      }
      case "queue-done": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (pending?.kind === "queue") pending.resolve({ outcome: message.outcome, decisions: message.decisions, error: message.error });
        return;
      }
      case "body-pull":
        void this.pullRequestBody(message.id);
        return;
      case "ws-send":
        this.sockets.get(message.id)?.fromWorker({ kind: "message", data: message.data });
        return;
      case "ws-close":
        this.sockets.get(message.id)?.fromWorker({ kind: "close", code: message.code, reason: message.reason });
        this.sockets.delete(message.id);
        return;
      case "rpc-result": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (pending?.kind === "rpc") pending.resolve(message.outcome);
        return;
      }
      case "sub-fetch":
      case "sub-rpc":
      case "sub-pull":
      case "sub-cancel":
      case "sub-ws-send":
      case "sub-ws-close":
        this.relay.handle(message);
        return;
      case "log":
        this.options.logger[message.level](message.text);
        return;
    }
  }

  private async pullRequestBody(id: number): Promise<void> {
    const pending = this.pending.get(id);
    const source = pending?.kind === "fetch" ? pending.body : undefined;
    if (!source) return this.send({ t: "body-end", id });
    try {
      const chunk = await pullChunk(source);
      this.send(chunk === null ? { t: "body-end", id } : { t: "body-chunk", id, chunk });
    } catch (error) {
      this.send({ t: "body-error", id, message: (error as Error).message });
    }
  }

  private streamOf(id: number): IsolateBodyStream | undefined {
    const pending = this.pending.get(id);
    return pending?.kind === "fetch" ? pending.stream : undefined;
  }

  private checkHeartbeat(): void {
    const beat = Atomics.load(this.shared, 0);
    const now = Date.now();
    if (beat !== this.lastBeat || this.pending.size === 0) {
      this.lastBeat = beat;
      this.lastBeatAt = now;
      return;
    }
    if (now - this.lastBeatAt > this.options.limits.cpuMs) {
      this.exitReason ??= "cpu";
      void this.worker.terminate();
    }
  }

  private onExit(): void {
    clearInterval(this.watchdog);
    this.relay.dispose();
    for (const socket of this.sockets.values()) socket.fromWorker({ kind: "close", code: 1011, reason: "The Worker's isolate stopped." });
    this.sockets.clear();
    const reason = (this.exitReason ??= "crash");
    const lastStarted = Atomics.load(this.shared, 1);
    for (const [id, pending] of this.pending) {
      const error = new IsolateGoneError(reason, id <= lastStarted);
      if (pending.kind === "fetch" && pending.stream) pending.stream.destroy(error);
      else pending.reject(error);
    }
    this.pending.clear();
    this.emit("exit", reason);
  }
}
