/**
 * Service-binding calls from one isolate, host side: routes each to its target Worker and sends
 * the answer back; a streamed answer is handed over chunk by chunk as the caller pulls.
 */
import type { HostToIsolate, IsolateToHost, RpcOutcome } from "./protocol.js";
import { Readable } from "node:stream";
import { pullChunk } from "./host-body.js";
import { HandlerError, IsolateGoneError } from "./isolate-errors.js";
import { notRunningMessage, type ServiceRouter } from "./service-router.js";
import type { IsolateWebSocket } from "./isolate-websocket.js";

type SubMessage = Extract<IsolateToHost, { t: "sub-fetch" | "sub-rpc" | "sub-pull" | "sub-cancel" | "sub-ws-send" | "sub-ws-close" }>;

/** Close code sent to a target's WebSocket when the caller's isolate went away ("going away"). */
const CALLER_GONE_CODE = 1001;

export class ServiceRelay {
  private readonly streams = new Map<number, Readable>();
  /** WebSockets targets answered with, by the caller's call id: the caller's end is in its isolate. */
  private readonly sockets = new Map<number, IsolateWebSocket>();

  constructor(
    private readonly send: (message: HostToIsolate) => void,
    private readonly router: ServiceRouter | undefined,
  ) {}

  handle(message: SubMessage): void {
    switch (message.t) {
      case "sub-fetch":
        void this.fetch(message);
        return;
      case "sub-rpc":
        void this.rpc(message);
        return;
      case "sub-pull":
        void this.pull(message.sub);
        return;
      case "sub-cancel":
        this.streams.get(message.sub)?.destroy();
        this.streams.delete(message.sub);
        return;
      case "sub-ws-send":
        this.sockets.get(message.sub)?.send(message.data);
        return;
      case "sub-ws-close":
        this.sockets.get(message.sub)?.close(message.code, message.reason);
        this.sockets.delete(message.sub);
        return;
    }
  }

  /** The caller's isolate is gone: drop what it was reading. */
  dispose(): void {
    for (const stream of this.streams.values()) stream.destroy();
    this.streams.clear();
    for (const socket of this.sockets.values()) socket.close(CALLER_GONE_CODE, "The calling Worker stopped.", false);
    this.sockets.clear();
  }

  private async fetch({ sub, target, req }: Extract<SubMessage, { t: "sub-fetch" }>): Promise<void> {
    const handle = this.router?.lookup(target.service);
    if (!handle) {
      const text = notRunningMessage(target.service, target.entrypoint);
      this.send({ t: "sub-response", sub, res: { status: 503, statusText: "Service Unavailable", headers: [["content-type", "text/plain; charset=utf-8"]], body: { text } } });
      return;
    }
    try {
      const { head, body, webSocket } = await handle.fetch(
        { method: req.method, url: req.url, headers: req.headers, httpVersion: "1.1", entrypoint: target.entrypoint, props: target.props, durableObject: target.durableObject },
        req.body ?? undefined,
      );
      if (webSocket) {
        this.sockets.set(sub, webSocket);
        this.send({ t: "sub-response", sub, res: { ...head, body: null, webSocket: true } });
        webSocket.connect({
          message: (data) => this.send({ t: "sub-ws-message", sub, data }),
          close: (code, reason) => {
            this.sockets.delete(sub);
            this.send({ t: "sub-ws-closed", sub, code, reason, wasClean: true });
          },
        });
      } else if (body instanceof Readable) {
        this.streams.set(sub, body);
        this.send({ t: "sub-response", sub, res: { ...head, body: "stream" } });
      } else {
        this.send({ t: "sub-response", sub, res: { ...head, body } });
      }
    } catch (error) {
      if (error instanceof HandlerError) this.send({ t: "sub-failed", sub, error: error.wire });
      else if (error instanceof IsolateGoneError) this.send({ t: "sub-failed", sub, error: goneError(error) });
      else this.send({ t: "sub-failed", sub, error: { name: "Error", message: String((error as Error).message ?? error), stack: "" } });
    }
  }

  private async rpc({ sub, target, method, args }: Extract<SubMessage, { t: "sub-rpc" }>): Promise<void> {
    const handle = this.router?.lookup(target.service);
    let outcome: RpcOutcome;
    if (!handle) {
      outcome = { ok: false, error: { name: "Error", message: notRunningMessage(target.service, target.entrypoint) } };
    } else {
      try {
        outcome = await handle.rpc({ entrypoint: target.entrypoint, props: target.props, durableObject: target.durableObject, method, args });
      } catch (error) {
        const wire = error instanceof IsolateGoneError ? goneError(error) : { name: "Error", message: String((error as Error).message) };
        outcome = { ok: false, error: { name: wire.name, message: wire.message } };
      }
    }
    this.send({ t: "sub-rpc-result", sub, outcome });
  }

  private async pull(sub: number): Promise<void> {
    const stream = this.streams.get(sub);
    if (!stream) return this.send({ t: "sub-end", sub });
    try {
      const chunk = await pullChunk(stream);
      if (chunk === null) {
        this.streams.delete(sub);
        this.send({ t: "sub-end", sub });
      } else this.send({ t: "sub-chunk", sub, chunk });
    } catch (error) {
      this.streams.delete(sub);
      this.send({ t: "sub-body-error", sub, message: (error as Error).message });
    }
  }
}

function goneError(error: IsolateGoneError) {
  const limit = error.reason === "cpu" || error.reason === "memory";
  return { name: "Error", message: limit ? "Worker exceeded resource limits" : "The target Worker's isolate stopped unexpectedly.", stack: "" };
}
