/**
 * The HTTP front door: Node's http server owns the sockets and parses HTTP; each request becomes
 * a wire request for the Worker's isolate, and the isolate's answer is written back. Also serves
 * the local trigger endpoints wrangler offers (`/cdn-cgi/handler/scheduled`, `/__scheduled`).
 */
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import type { IsolateResponse, ScheduledResult } from "../runtime/isolate.js";
import { HandlerError, IsolateGoneError } from "../runtime/isolate-errors.js";
import type { WireRequest } from "../runtime/protocol.js";
import type { Logger } from "../shared/log.js";
import type { Duplex, Readable } from "node:stream";
import { isHtml, LIVE_RELOAD_SCRIPT, type LiveReload } from "./live-reload.js";
import { requestBody, writeError, writeResponse } from "./exchange.js";
import { completeUpgrade } from "./websocket-upgrade.js";
import { handleServiceEndpoint, isServiceEndpoint, type LocalWorkers } from "./service-endpoints.js";
import { AnalyticsSqlEndpoint, isAnalyticsSqlEndpoint } from "./analytics-sql-endpoint.js";
import type { TlsFiles } from "./local-certificate.js";
import { exceptionResponse, isolateCrashResponse, resourceLimitResponse } from "./error-page.js";

/** What the server sends requests to: a Worker (WorkerService) or anything shaped like one. */
export interface FetchTarget {
  fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse>;
  scheduled(cron: string, scheduledTime: number): Promise<ScheduledResult>;
}

export interface ServerOptions {
  ip: string;
  port: number;
  /** Looked up per request, so a reload can swap the Worker behind a running server. */
  target: () => FetchTarget;
  logger: Logger;
  /** Also answer `/__scheduled?cron=...` (wrangler's `--test-scheduled`). */
  testScheduled?: boolean;
  /** `--live-reload`: inject the reload script into HTML and accept the reload WebSocket. */
  liveReload?: LiveReload;
  /** This process's Workers, for calls from other Hearth processes (service bindings). */
  workers?: LocalWorkers;
  /** The state root whose Analytics Engine points the SQL API endpoint answers about. */
  stateRoot?: string;
  /** Serve HTTPS with this key and certificate (`--local-protocol https`); absent = HTTP. */
  tls?: TlsFiles;
}

export interface RunningServer {
  url: URL;
  port: number;
  close(): Promise<void>;
}


export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const analyticsSql = options.stateRoot === undefined ? undefined : new AnalyticsSqlEndpoint(options.stateRoot);
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void handle(options, req, res, analyticsSql);
  const server = options.tls ? https.createServer({ keepAlive: true, key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer({ keepAlive: true }, listener);
  server.keepAliveTimeout = 65_000;
  const { liveReload } = options;
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (liveReload?.handleUpgrade(req, socket, head)) return;
    void handleUpgrade(options, req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.ip, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: new URL(`${options.tls ? "https" : "http"}://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${address.port}`),
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        liveReload?.close();
        analyticsSql?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: ServerOptions, req: http.IncomingMessage, res: http.ServerResponse, analyticsSql: AnalyticsSqlEndpoint | undefined): Promise<void> {
  const started = performance.now();
  const path = req.url ?? "/";
  try {
    if (isServiceEndpoint(path)) {
      await handleServiceEndpoint(options.workers, req, res);
    } else if (analyticsSql && isAnalyticsSqlEndpoint(path)) {
      await analyticsSql.handle(req, res);
    } else if (path.startsWith("/cdn-cgi/handler/scheduled") || path.startsWith("/cdn-cgi/mf/scheduled") || (options.testScheduled && path.startsWith("/__scheduled"))) {
      await handleScheduled(options, req, res);
    } else {
      await handleFetch(options, req, res);
    }
  } catch (error) {
    options.logger.error(`Internal error while serving ${req.method} ${path}: ${(error as Error).stack ?? error}`);
    if (!res.headersSent) writeError(res, isolateCrashResponse(req.headers.accept));
    else res.destroy();
  }
  const ms = Math.round(performance.now() - started);
  options.logger.info(`[hearth] ${req.method} ${path} ${res.statusCode} ${http.STATUS_CODES[res.statusCode] ?? ""} (${ms}ms)`);
}

function requestUrl(req: http.IncomingMessage): string {
  const url = req.url ?? "/";
  if (/^https?:\/\//i.test(url)) return url;
  const scheme = (req.socket as TLSSocket).encrypted ? "https" : "http";
  return `${scheme}://${req.headers.host ?? "localhost"}${url}`;
}

/** A WebSocket (or other) upgrade request: to the Worker, then bridged or answered on the raw socket. */
async function handleUpgrade(options: ServerOptions, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const started = performance.now();
  const wire = { method: req.method ?? "GET", url: requestUrl(req), headers: req.rawHeaders, httpVersion: req.httpVersion };
  let status = 500;
  try {
    const response = await options.target().fetch(wire);
    status = response.head.status;
    await completeUpgrade(req, socket, head, response);
  } catch (error) {
    if (error instanceof HandlerError) options.logger.error(`Uncaught ${error.wire.stack}`);
    else options.logger.error(`Internal error while upgrading ${req.url}: ${(error as Error).stack ?? error}`);
    socket.end("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  }
  options.logger.info(`[hearth] ${req.method} ${req.url} ${status} ${http.STATUS_CODES[status] ?? ""} (${Math.round(performance.now() - started)}ms)`);
}

async function handleFetch(options: ServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const accept = req.headers.accept;
  const remote = req.socket.remoteAddress ?? "127.0.0.1";
  const headers = req.rawHeaders;
  if (!req.headers["cf-connecting-ip"]) headers.push("cf-connecting-ip", remote);
  const wire = { method: req.method ?? "GET", url: requestUrl(req), headers, httpVersion: req.httpVersion };
  let response: IsolateResponse;
  try {
    response = await options.target().fetch(wire, await requestBody(req));
  } catch (error) {
    if (error instanceof HandlerError) {
      options.logger.error(`Uncaught ${error.wire.stack}`);
      return writeError(res, exceptionResponse(error.wire, accept));
    }
    if (error instanceof IsolateGoneError) {
      return writeError(res, error.reason === "cpu" || error.reason === "memory" ? resourceLimitResponse(error.reason, accept) : isolateCrashResponse(accept));
    }
    throw error;
  }
  const inject = options.liveReload && isHtml(response.head.headers) ? LIVE_RELOAD_SCRIPT : undefined;
  writeResponse(req, res, response, inject);
}

async function handleScheduled(options: ServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(requestUrl(req));
  const cron = url.searchParams.get("cron") ?? "";
  const time = Number(url.searchParams.get("time") ?? Date.now());
  let result: ScheduledResult;
  try {
    result = await options.target().scheduled(cron, Number.isFinite(time) ? time : Date.now());
  } catch (error) {
    if (error instanceof IsolateGoneError) return writeError(res, resourceLimitResponse(error.reason === "memory" ? "memory" : "cpu", req.headers.accept));
    throw error;
  }
  if (result.outcome === "ok") {
    res.writeHead(200, ["content-type", "text/plain; charset=utf-8", "content-length", "2"]);
    res.end("ok");
    return;
  }
  options.logger.error(`Uncaught ${result.error?.stack ?? "exception in scheduled()"}`);
  const body = result.outcome;
  res.writeHead(500, ["content-type", "text/plain; charset=utf-8", "content-length", String(body.length)]);
  res.end(body);
}
