import { DurableObject } from "cloudflare:workers";
import page from "./page.html";

interface Env {
  ROOMS: DurableObjectNamespace<ChatRoom>;
}

interface Member {
  name: string;
}

/** One chat room. Sockets are accepted with the hibernation API; the history lives in SQLite. */
export class ChatRoom extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, name TEXT, text TEXT, at INTEGER)");
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("name") || "anonymous";
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [name]);
    server.serializeAttachment({ name } satisfies Member);
    const history = this.ctx.storage.sql.exec("SELECT name, text FROM messages ORDER BY id DESC LIMIT 20").toArray().reverse();
    server.send(JSON.stringify({ type: "history", messages: history }));
    this.broadcast({ type: "joined", name, online: this.ctx.getWebSockets().length });
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const { name } = ws.deserializeAttachment() as Member;
    const text = typeof message === "string" ? message : new TextDecoder().decode(message);
    this.ctx.storage.sql.exec("INSERT INTO messages (name, text, at) VALUES (?, ?, ?)", name, text, Date.now());
    this.broadcast({ type: "message", name, text });
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    const { name } = ws.deserializeAttachment() as Member;
    ws.close(code === 1005 ? 1000 : code, "bye");
    this.broadcast({ type: "left", name, online: this.ctx.getWebSockets().length });
  }

  private broadcast(event: object): void {
    const data = JSON.stringify(event);
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(data);
      } catch {
        // a socket closing at this moment
      }
    }
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const room = url.pathname.match(/^\/rooms\/([\w-]+)\/socket$/);
    if (room) {
      if (request.headers.get("upgrade") !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
      return env.ROOMS.getByName(room[1]!).fetch(request);
    }
    if (url.pathname === "/") return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
