/**
 * Service-binding calls made by user code, isolate side: each call is numbered, sent to the host,
 * and settled by the host's answer. Streamed response bodies are pulled from the host on demand.
 */
import type { ServiceResponse, ServiceTransport } from "../bindings/service/index.js";
import { PulledBodies } from "./body-channel.js";
import { WorkersWebSocket } from "./websocket-pair.js";
import type { IsolateToHost, RpcOutcome, ServiceTarget, WireError, WireResponse } from "./protocol.js";

interface Pending<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export class ServiceCalls {
  private nextSub = 1;
  private readonly fetches = new Map<number, Pending<ServiceResponse>>();
  private readonly calls = new Map<number, Pending<RpcOutcome>>();
  /** For each call answered with a WebSocket, the hidden end wired to the target through the host. */
  private readonly sockets = new Map<number, WorkersWebSocket>();
  readonly bodies: PulledBodies;

  constructor(private readonly post: (message: IsolateToHost) => void) {
    this.bodies = new PulledBodies(
      (sub) => post({ t: "sub-pull", sub }),
      (sub) => post({ t: "sub-cancel", sub }),
    );
  }

  /** The channel to a Worker (or one of its Durable Objects) through the host. */
  transportTo(target: ServiceTarget): ServiceTransport {
    return {
      fetch: (req) =>
        new Promise((resolve, reject) => {
          const sub = this.nextSub++;
          this.fetches.set(sub, { resolve, reject });
          this.post({ t: "sub-fetch", sub, target, req });
        }),
      call: (method, args) =>
        new Promise((resolve, reject) => {
          const sub = this.nextSub++;
          try {
            this.post({ t: "sub-rpc", sub, target, method, args });
          } catch (error) {
            // Arguments that cannot be structured-cloned (functions, class instances with private state ...).
            resolve({ ok: false, error: { name: "DataCloneError", message: (error as Error).message } });
            return;
          }
          this.calls.set(sub, { resolve, reject });
        }),
    };
  }

  responded(sub: number, res: Omit<WireResponse, "id">): void {
    const pending = take(this.fetches, sub);
    if (!pending) return;
    if (res.webSocket) {
      // The caller gets one end of a pair; the other is wired to the target's socket via the host.
      const [caller, network] = WorkersWebSocket.pair();
      this.sockets.set(sub, network);
      network.attach({
        send: (data) => this.post({ t: "sub-ws-send", sub, data }),
        close: (code, reason) => {
          this.sockets.delete(sub);
          this.post({ t: "sub-ws-close", sub, code, reason });
        },
      });
      pending.resolve({ status: res.status, statusText: res.statusText, headers: res.headers, body: null, webSocket: caller });
      return;
    }
    const body =
      res.body === "stream" ? this.bodies.open(sub) : res.body !== null && !(res.body instanceof Uint8Array) ? res.body.text : res.body;
    pending.resolve({ status: res.status, statusText: res.statusText, headers: res.headers, body });
  }

  failed(sub: number, error: WireError): void {
    const rebuilt = new Error(error.message);
    rebuilt.name = error.name;
    take(this.fetches, sub)?.reject(rebuilt);
  }

  /** The target's WebSocket sent a message. */
  socketMessage(sub: number, data: string | ArrayBuffer): void {
    this.sockets.get(sub)?.fromNetwork(data);
  }

  /** The target's WebSocket closed. */
  socketClosed(sub: number, code: number, reason: string, wasClean: boolean): void {
    this.sockets.get(sub)?.networkClosed(code, reason, wasClean);
    this.sockets.delete(sub);
  }

  called(sub: number, outcome: RpcOutcome): void {
    take(this.calls, sub)?.resolve(outcome);
  }
}

function take<T>(map: Map<number, T>, key: number): T | undefined {
  const value = map.get(key);
  map.delete(key);
  return value;
}
