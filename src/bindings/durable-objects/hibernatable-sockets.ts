/**
 * The WebSocket hibernation API of a Durable Object
 * (https://developers.cloudflare.com/durable-objects/api/websockets/): sockets accepted with
 * `ctx.acceptWebSocket(ws, tags)` deliver their events to the object's `webSocketMessage`,
 * `webSocketClose` and `webSocketError` methods; auto-responses are answered without the object.
 * Hearth keeps an object with open sockets in memory instead of hibernating it, which user code
 * cannot tell apart except by memory use.
 */
import type { WorkersWebSocket } from "../../runtime/websocket-pair.js";
import { WebSocketRequestResponsePair } from "../../runtime/websocket-pair.js";

export const MAX_TAGS_PER_SOCKET = 10;
export const MAX_TAG_LENGTH_CHARS = 256;
export const MAX_HIBERNATABLE_SOCKETS = 32_768;
export const MAX_EVENT_TIMEOUT_MS = 604_800_000;

type Handler = "webSocketMessage" | "webSocketClose" | "webSocketError";

export class HibernatableSockets {
  private readonly sockets = new Map<WorkersWebSocket, string[]>();
  private readonly autoResponseTimes = new WeakMap<WorkersWebSocket, Date>();
  private autoResponse: WebSocketRequestResponsePair | null = null;
  private eventTimeoutMs: number | null = null;

  constructor(private readonly deliver: (handler: Handler, args: unknown[]) => void) {}

  get open(): number {
    return this.sockets.size;
  }

  accept(ws: WorkersWebSocket, tags: string[] = []): void {
    if (tags.length > MAX_TAGS_PER_SOCKET) throw new Error(`A WebSocket can have at most ${MAX_TAGS_PER_SOCKET} tags.`);
    for (const tag of tags) {
      if (typeof tag !== "string" || tag.length > MAX_TAG_LENGTH_CHARS) throw new Error(`A WebSocket tag must be a string of at most ${MAX_TAG_LENGTH_CHARS} characters.`);
    }
    if (this.sockets.size >= MAX_HIBERNATABLE_SOCKETS) throw new Error(`A Durable Object can accept at most ${MAX_HIBERNATABLE_SOCKETS} WebSockets.`);
    this.sockets.set(ws, [...tags]);
    ws.onEvent = (event) => this.onEvent(ws, event);
    ws.accept();
  }

  get(tag?: string): WorkersWebSocket[] {
    return [...this.sockets].filter(([, tags]) => tag === undefined || tags.includes(tag)).map(([ws]) => ws);
  }

  tagsOf(ws: WorkersWebSocket): string[] {
    const tags = this.sockets.get(ws);
    if (!tags) throw new Error("getTags() was called on a WebSocket that was not accepted with acceptWebSocket().");
    return [...tags];
  }

  setAutoResponse(pair?: WebSocketRequestResponsePair): void {
    if (pair !== undefined && !(pair instanceof WebSocketRequestResponsePair)) throw new TypeError("setWebSocketAutoResponse() expects a WebSocketRequestResponsePair.");
    this.autoResponse = pair ?? null;
  }

  getAutoResponse(): WebSocketRequestResponsePair | null {
    return this.autoResponse;
  }

  autoResponseTimestamp(ws: WorkersWebSocket): Date | null {
    return this.autoResponseTimes.get(ws) ?? null;
  }

  setEventTimeout(ms?: number): void {
    if (ms !== undefined && ms !== 0 && (ms < 0 || ms > MAX_EVENT_TIMEOUT_MS)) {
      throw new RangeError(`The hibernatable WebSocket event timeout must be between 0 and ${MAX_EVENT_TIMEOUT_MS} ms.`);
    }
    this.eventTimeoutMs = ms ? ms : null;
  }

  getEventTimeout(): number | null {
    return this.eventTimeoutMs;
  }

  private onEvent(ws: WorkersWebSocket, event: Event): void {
    const detail = event as Event & { data?: string | ArrayBuffer; code?: number; reason?: string; wasClean?: boolean };
    switch (event.type) {
      case "message":
        if (this.autoResponse && detail.data === this.autoResponse.request) {
          ws.send(this.autoResponse.response);
          this.autoResponseTimes.set(ws, new Date());
          return;
        }
        this.deliver("webSocketMessage", [ws, detail.data]);
        return;
      case "close":
        this.sockets.delete(ws);
        this.deliver("webSocketClose", [ws, detail.code ?? 1005, detail.reason ?? "", detail.wasClean ?? false]);
        return;
      case "error":
        this.deliver("webSocketError", [ws, event]);
        return;
    }
  }
}
