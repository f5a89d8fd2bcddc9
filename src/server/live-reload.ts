/**
 * `--live-reload`: HTML pages served by the Worker get a small script that opens a WebSocket to
 * `/cdn-cgi/mf/reload` (wrangler's path) and reloads the page when the Worker is rebuilt.
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";

export const LIVE_RELOAD_PATH = "/cdn-cgi/mf/reload";

export const LIVE_RELOAD_SCRIPT = `<script defer type="application/javascript">
(function () {
  var protocol = location.protocol === "https:" ? "wss:" : "ws:";
  var url = protocol + "//" + location.host + "${LIVE_RELOAD_PATH}";
  function connect(reloadOnOpen) {
    var ws = new WebSocket(url);
    ws.onopen = function () { if (reloadOnOpen) location.reload(); };
    ws.onmessage = function (event) { if (event.data === "reload") location.reload(); };
    ws.onclose = function () { setTimeout(function () { connect(true); }, 1000); };
  }
  connect(false);
})();
</script>`;

export class LiveReload {
  private readonly clients = new Set<WebSocket>();

  private constructor(private readonly sockets: WebSocketServer) {}

  /** `ws` is loaded only when live reload is on. */
  static async create(): Promise<LiveReload> {
    const { WebSocketServer } = await import("ws");
    return new LiveReload(new WebSocketServer({ noServer: true }));
  }

  /** Takes the upgrade if it is for the reload path; returns whether it did. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (req.url !== LIVE_RELOAD_PATH) return false;
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      this.clients.add(ws);
      ws.once("close", () => this.clients.delete(ws));
    });
    return true;
  }

  /** Tells every open page to reload. */
  notify(): void {
    for (const client of this.clients) client.send("reload");
  }

  close(): void {
    for (const client of this.clients) client.terminate();
    this.sockets.close();
  }
}

/** Whether a response with these headers is an HTML page the script should go into. */
export function isHtml(headers: readonly [string, string][]): boolean {
  return headers.some(([name, value]) => name.toLowerCase() === "content-type" && value.toLowerCase().startsWith("text/html"));
}
