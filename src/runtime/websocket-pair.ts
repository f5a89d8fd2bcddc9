/**
 * Workers' WebSocket pair (https://developers.cloudflare.com/workers/runtime-apis/websockets/):
 * two connected ends; what one end sends arrives as a "message" event on the other. An end can be
 * attached to a real connection instead (the client end of a 101 response, bridged by the host),
 * in which case what its peer sends goes out over the network and what the network sends arrives
 * on the peer. Runs inside the isolate.
 *
 * The class is also the global `WebSocket`: `new WebSocket(url)` makes a client that connects at
 * once. Its hidden peer is attached to the connection opened by the registered connector
 * (runtime/outbound/websocket-client.ts), so both kinds of socket are one class, as in Workers.
 */

export type WebSocketData = string | ArrayBuffer;

/** The network side of an attached end. */
export interface WebSocketRemote {
  send(data: WebSocketData): void;
  close(code: number, reason: string): void;
}

/** What `new WebSocket(url, protocols)` hands the connector: the hidden end to attach, and how to report the outcome. */
export interface ClientConnection {
  /** The hidden peer of the new socket: attach it to the connection once open. */
  network: WorkersWebSocket;
  /** The handshake succeeded: the socket fires "open" and may be used. */
  opened(protocol: string | null, extensions: string | null): void;
  /** The handshake failed: the socket fires "error" and a 1006 "close". */
  failed(error: unknown): void;
}

/** Opens the connection of a client socket; returns how to abandon it. May throw (bad URL, limits). */
export type WebSocketConnector = (url: unknown, protocols: unknown, connection: ClientConnection) => () => void;

let connector: WebSocketConnector | undefined;

/** Installs what `new WebSocket(url)` uses to connect (the outbound module does, with `ws`). */
export function setWebSocketConnector(connect: WebSocketConnector): void {
  connector = connect;
}

export type BinaryType = "blob" | "arraybuffer";
let defaultBinaryType: BinaryType = "arraybuffer";

/** `binaryType` of new sockets: "blob" from compatibility date 2026-03-17 (websocket_standard_binary_type). */
export function setDefaultBinaryType(type: BinaryType): void {
  defaultBinaryType = type;
}

/** Marks the sockets Hearth makes itself (pair ends, hidden peers), as opposed to `new WebSocket(url)`. */
const INTERNAL = Symbol("internal");

const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
/** Attachments are small by contract (https://developers.cloudflare.com/durable-objects/api/websockets/). */
export const MAX_ATTACHMENT_BYTES = 2048;

function messageEvent(data: WebSocketData | Blob): Event {
  return Object.assign(new Event("message"), { data });
}

function closeEvent(code: number, reason: string, wasClean: boolean): Event {
  return Object.assign(new Event("close"), { code, reason, wasClean });
}

function errorEvent(error: unknown): Event {
  return Object.assign(new Event("error"), { error, message: error instanceof Error ? error.message : String(error) });
}

/** workerd's rule for close codes user code may send (api/web-socket.c++). */
function checkCloseCode(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !(code >= 1000 && code < 5000 && code !== 1004 && code !== 1005 && code !== 1006 && code !== 1015)) {
    throw new TypeError(`Invalid WebSocket close code: ${code}.`);
  }
  if (reason !== undefined && code === undefined) throw new TypeError("If you specify a WebSocket close reason, you must also specify a code.");
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
  /** A `new WebSocket(url)` client whose handshake has not finished; calling it abandons the connection. */
  #connecting: (() => void) | undefined;
  #queued: Event[] = [];
  #attachment: unknown = null;
  #binaryType: BinaryType = defaultBinaryType;
  /** Set by whoever takes over event delivery (the Durable Object hibernation API). */
  onEvent: ((event: Event) => void) | undefined;

  readonly url: string | null = null;
  protocol: string | null = null;
  extensions: string | null = null;

  /** `new WebSocket(url, protocols?)`: a client that connects at once and fires "open" (no accept() needed). */
  constructor(url?: string | URL, protocols?: string | string[]);
  constructor(...args: unknown[]) {
    super();
    if (args[0] === INTERNAL) return;
    if (args.length === 0) throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
    if (!connector) throw new TypeError("Outbound WebSockets are not available here.");
    const network = new WorkersWebSocket(INTERNAL as never);
    this.#peer = network;
    network.#peer = this;
    this.#connecting = connector(args[0], args[1], {
      network,
      opened: (protocol, extensions) => {
        if (!this.#connecting) return;
        this.#connecting = undefined;
        this.protocol = protocol;
        this.extensions = extensions;
        this.#accepted = true;
        this.#dispatch(new Event("open"));
        for (const event of this.#queued.splice(0)) this.#dispatch(event);
      },
      failed: (error) => {
        if (this.#connecting) this.failedToConnect(error);
      },
    });
    (this as { url: string | null }).url = String(args[0]);
    // As workerd: empty until the handshake ends, then the server's choice or null.
    this.protocol = "";
    this.extensions = "";
  }

  get readyState(): number {
    if (this.#closed) return READY_STATE.CLOSED;
    return this.#connecting ? READY_STATE.CONNECTING : READY_STATE.OPEN;
  }

  /** How binary messages arrive: "arraybuffer" or "blob". Other values are ignored. */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(type: BinaryType) {
    if (type === "blob" || type === "arraybuffer") this.#binaryType = type;
  }

  /**
   * Starts delivering events to this end. Events that arrived before are delivered in a
   * microtask, as workerd delivers from its read loop: listeners added right after accept() get them.
   */
  accept(): void {
    if (this.#connecting) throw new TypeError("Websockets obtained from the 'new WebSocket()' constructor cannot call accept");
    if (this.#accepted) return;
    this.#accepted = true;
    if (this.#queued.length > 0) queueMicrotask(() => this.#flush());
  }

  send(message: unknown): void {
    if (!this.#accepted) throw new TypeError("You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.");
    if (this.#closed) throw new TypeError("Can't call WebSocket send() after close().");
    this.#peer?.receive(toData(message));
  }

  close(code?: number, reason?: string): void {
    // Closing twice, or after the peer vanished, is silently ignored, as in workerd.
    if (this.#closed) return;
    checkCloseCode(code, reason);
    const abandon = this.#connecting;
    if (abandon) {
      // As workerd: closing before the handshake ends cancels it, which reports a failed connection.
      this.#closed = true;
      abandon();
      queueMicrotask(() => {
        if (this.#connecting === abandon) this.failedToConnect(new Error("Called close before connection was established."));
      });
      return;
    }
    this.#closed = true;
    this.#peer?.peerClosed(code ?? 1000, reason ?? "");
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

  /**
   * A message from the network for this attached end: it arrives on the peer (or, when the peer
   * is attached to a network too, a proxied socket, goes out over the peer's connection).
   */
  fromNetwork(data: WebSocketData): void {
    this.#peer?.receive(data);
  }

  /** The network connection closed. */
  networkClosed(code: number, reason: string, wasClean: boolean): void {
    this.#closed = true;
    const peer = this.#peer;
    if (!peer) return;
    if (peer.#remote) peer.peerClosed(code, reason);
    else peer.deliverClose(code, reason, wasClean);
  }

  /** The network connection failed: the peer fires "error" (a "close" follows through networkClosed). */
  networkError(error: unknown): void {
    const peer = this.#peer;
    if (peer && !peer.#remote) peer.deliver(errorEvent(error));
  }

  static pair(): [WorkersWebSocket, WorkersWebSocket] {
    const a = new WorkersWebSocket(INTERNAL as never);
    const b = new WorkersWebSocket(INTERNAL as never);
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  private failedToConnect(error: unknown): void {
    this.#connecting = undefined;
    this.#closed = true;
    this.#accepted = true;
    this.#dispatch(errorEvent(error));
    this.#dispatch(closeEvent(1006, "Failed to establish websocket connection", false));
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
    if (this.#accepted && this.#queued.length === 0) this.#dispatch(event);
    else this.#queued.push(event);
  }

  #flush(): void {
    for (let event = this.#queued.shift(); event; event = this.#queued.shift()) this.#dispatch(event);
  }

  #dispatch(event: Event): void {
    if (this.onEvent) return this.onEvent(event);
    const data = (event as Event & { data?: unknown }).data;
    // The hibernation API (onEvent) always gets ArrayBuffers; listeners get what binaryType asks for.
    if (data instanceof ArrayBuffer && this.#binaryType === "blob") event = messageEvent(new Blob([data]));
    this.dispatchEvent(event);
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
