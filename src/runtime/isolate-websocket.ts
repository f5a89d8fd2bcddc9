/**
 * Host side of a WebSocket a Worker answered with (a 101 response): what the server needs to
 * connect it to the client's socket. Messages and closes cross the thread boundary as `ws-*`
 * messages keyed by the fetch's id. What the Worker sends before the client's handshake completes
 * is held until `connect()`.
 */
type FromWorker = { kind: "message"; data: string | ArrayBuffer } | { kind: "close"; code: number; reason: string };

export interface WebSocketSink {
  message(data: string | ArrayBuffer): void;
  close(code: number, reason: string): void;
}

export class IsolateWebSocket {
  private closed = false;
  private sink: WebSocketSink | undefined;
  private held: FromWorker[] = [];

  constructor(
    private readonly sendToIsolate: (data: string | ArrayBuffer) => void,
    private readonly closeToIsolate: (code: number, reason: string, wasClean: boolean) => void,
  ) {}

  /** Starts passing the Worker's messages to the client, those held so far first. */
  connect(sink: WebSocketSink): void {
    this.sink = sink;
    for (const message of this.held.splice(0)) this.forward(message);
  }

  /** A message from the client, for the Worker. */
  send(data: string | ArrayBuffer): void {
    if (!this.closed) this.sendToIsolate(data);
  }

  /** The client closed (or vanished). */
  close(code: number, reason: string, wasClean = true): void {
    if (this.closed) return;
    this.closed = true;
    this.closeToIsolate(code, reason, wasClean);
  }

  /** The Worker side sent something or closed: called by the Isolate. */
  fromWorker(message: FromWorker): void {
    if (message.kind === "close") this.closed = true;
    if (this.sink) this.forward(message);
    else this.held.push(message);
  }

  private forward(message: FromWorker): void {
    if (message.kind === "message") this.sink!.message(message.data);
    else this.sink!.close(message.code, message.reason);
  }
}
