/**
 * Analytics Engine's SQL API on the dev server, at Cloudflare's path under `/cdn-cgi/hearth`:
 *
 *     POST /cdn-cgi/hearth/client/v4/accounts/<any account id>/analytics_engine/sql
 *
 * with the query as the body, so a script or dashboard written for
 * `https://api.cloudflare.com/client/v4/...` works by changing its base URL. Loopback clients are
 * always answered; others only when `HEARTH_API_TOKEN` is set and they send it as
 * `Authorization: Bearer <token>` (a server reachable from the network does not publish its data).
 */
import type http from "node:http";
import { AnalyticsSqlError, openAnalyticsDatabase, runAnalyticsQuery } from "../bindings/analytics-engine/index.js";
import type { SqliteDatabase } from "../shared/sqlite.js";
import { isLoopback } from "./loopback.js";

const ENDPOINT = /^\/cdn-cgi\/hearth\/client\/v4\/accounts\/[^/]+\/analytics_engine\/sql\/?(?:\?.*)?$/;
/** Longest query accepted, in bytes; Cloudflare's API rejects larger bodies too. */
const MAX_QUERY_BYTES = 1024 * 1024;
/** Environment variable holding the token remote clients must present. */
export const API_TOKEN_ENV = "HEARTH_API_TOKEN";

export function isAnalyticsSqlEndpoint(path: string): boolean {
  return ENDPOINT.test(path);
}

function authorised(req: http.IncomingMessage): boolean {
  if (isLoopback(req.socket.remoteAddress)) return true;
  const token = process.env[API_TOKEN_ENV];
  return token !== undefined && token !== "" && req.headers.authorization === `Bearer ${token}`;
}

async function readQuery(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_QUERY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Answers SQL API requests against the Analytics Engine database of one state root. */
export class AnalyticsSqlEndpoint {
  #db: SqliteDatabase | undefined;

  constructor(private readonly stateRoot: string) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = (status: number, body: string) => res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(body.endsWith("\n") ? body : `${body}\n`);
    if (!authorised(req)) {
      return void text(403, `Forbidden: the SQL API answers other hosts only with "Authorization: Bearer <token>", where the token is set in ${API_TOKEN_ENV}.`);
    }
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST", "content-type": "text/plain; charset=utf-8" }).end("Send the query as the body of a POST request.\n");
    const query = await readQuery(req);
    if (query === undefined) return void text(413, `The query is larger than ${MAX_QUERY_BYTES} bytes.`);
    try {
      this.#db ??= openAnalyticsDatabase(this.stateRoot);
      const result = runAnalyticsQuery(this.#db, query);
      res.writeHead(200, { "content-type": result.contentType }).end(result.body);
    } catch (error) {
      if (!(error instanceof AnalyticsSqlError)) throw error;
      text(422, error.message);
    }
  }

  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}
