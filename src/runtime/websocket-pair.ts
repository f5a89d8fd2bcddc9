/**
 * Workers' WebSocket pair (https://developers.cloudflare.com/workers/runtime-apis/websockets/):
 * two connected ends; what one end sends arrives as a "message" event on the other. An end can be
 * attached to a real connection instead (the client end of a 101 response, bridged by the host),
 * in which case what its peer sends goes out over the network and what the network sends arrives
 * on the peer. Runs inside the isolate.
 */

export type WebSocketData = string | ArrayBuffer;

/** The network side of an attached end. */
export interface WebSocketRemote {
  send(data: WebSocketData): void;
  close(code: number, reason: string): void;
}

const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
/** Attachments are small by contract (https://developers.cloudflare.com/durable-objects/api/websockets/). */
export const MAX_ATTACHMENT_BYTES = 2048;

function messageEvent(data: WebSocketData): Event {
  return Object.assign(new Event("message"), { data });
}

function closeEvent(code: number, reason: string, wasClean: boolean): Event {
  return Object.assign(new Event("close"), { code, reason, wasClean });
}

function toData(message: unknown): WebSocketData {
  if (typeof message === "string") return message;
  if (message instanceof ArrayBuffer) return message.slice(0);
  if (ArrayBuffer.isView(message)) return message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength) as ArrayBuffer;
  throw new TypeError("Failed to execute 'send' on 'WebSocket': the message must be a string, an ArrayBuffer or an ArrayBufferView.");
}

export class WorkersWebSocket extends EventTarget {
  static readonly CONNECTING = READY_STATE.CONNECTING;
  static readonly OPEN = READY_STATE.OPEN;
  static readonly CLOSING = READY_STATE.CLOSING;
  static readonly CLOSED = READY_STATE.CLOSED;

  #peer: WorkersWebSocket | undefined;
  #remote: WebSocketRemote | undefined;
  #accepted = false;
  #closed = false;
  #queued: Event[] = [];
  #attachment: unknown = null;
  /** Set by whoever takes over event delivery (the Durable Object hibernation API). */
  onEvent: ((event: Event) => void) | undefined;

  readonly url: string | null = null;
  readonly protocol: string | null = null;
  readonly extensions: string | null = null;

  get readyState(): number {
    return this.#closed ? READY_STATE.CLOSED : READY_STATE.OPEN;
  }

  /** Starts delivering events to this end (queued ones first). */
  accept(): void {
    if (this.#accepted) return;
    this.#accepted = true;
    for (const event of this.#queued.splice(0)) this.#dispatch(event);
  }

  send(message: unknown): void {
    if (!this.#accepted) throw new TypeError("You must call accept() on this WebSocket before sending messages.");
    if (this.#closed) throw new TypeError("Can't call WebSocket send() after close().");
    this.#peer?.receive(toData(message));
  }

  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#peer?.peerClosed(code, reason);
  }

  serializeAttachment(value: unknown): void {
    const size = new TextEncoder().encode(JSON.stringify(value) ?? "").byteLength;
    if (size > MAX_ATTACHMENT_BYTES) throw new Error(`A WebSocket 'attachment' cannot be larger than ${MAX_ATTACHMENT_BYTES} bytes. Got ${size} bytes.`);
    this.#attachment = structuredClone(value);
  }

  deserializeAttachment(): unknown {
    return structuredClone(this.#attachment);
  }

  /**
   * Wires this end to a network connection: its peer's sends go out, network messages arrive on
   * the peer. What the peer sent before (a greeting in the same handler) goes out first.
   */
  attach(remote: WebSocketRemote): void {
    this.#remote = remote;
    this.#accepted = true;
    for (const event of this.#queued.splice(0)) {
      const detail = event as Event & { data?: WebSocketData; code?: number; reason?: string };
      if (event.type === "message") remote.send(detail.data!);
      else if (event.type === "close") remote.close(detail.code ?? 1000, detail.reason ?? "");
    }
  }

  /** A message from the network for this attached end: it arrives on the peer. */
  fromNetwork(data: WebSocketData): void {
    this.#peer?.deliver(messageEvent(data));
  }

  /** The network connection closed. */
  networkClosed(code: number, reason: string, wasClean: boolean): void {
    this.#closed = true;
    this.#peer?.deliverClose(code, reason, wasClean);
  }

  static pair(): [WorkersWebSocket, WorkersWebSocket] {
    const a = new WorkersWebSocket();
    const b = new WorkersWebSocket();
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  /** The peer sent `data` to this end. */
  private receive(data: WebSocketData): void {
    if (this.#remote) this.#remote.send(data);
    else this.deliver(messageEvent(data));
  }

  private peerClosed(code: number, reason: string): void {
    if (this.#remote) {
      this.#closed = true;
      this.#remote.close(code, reason);
    } else {
      this.deliverClose(code, reason, true);
    }
  }

  private deliverClose(code: number, reason: string, wasClean: boolean): void {
    this.#closed = true;
    this.deliver(closeEvent(code, reason, wasClean));
  }

  private deliver(event: Event): void {
    if (this.#accepted) this.#dispatch(event);
    else this.#queued.push(event);
  }

  #dispatch(event: Event): void {
    if (this.onEvent) this.onEvent(event);
    else this.dispatchEvent(event);
  }
}

/** `new WebSocketPair()`: `{ 0: client, 1: server }`, iterable with Object.values. */
export class WebSocketPair {
  0: WorkersWebSocket;
  1: WorkersWebSocket;
  constructor() {
    [this[0], this[1]] = WorkersWebSocket.pair();
  }
}

/** For `ctx.setWebSocketAutoResponse()`: a request text and the response sent without waking the object. */
export class WebSocketRequestResponsePair {
  readonly #request: string;
  readonly #response: string;
  constructor(request: string, response: string) {
    this.#request = request;
    this.#response = response;
  }
  get request(): string {
    return this.#request;
  }
  get response(): string {
    return this.#response;
  }
}
