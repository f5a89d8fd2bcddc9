/**
 * Hearth as a library, for tests and frameworks: create a runtime from a project's config (or
 * options), dispatch requests to it, read its bindings from Node, dispose it.
 *
 *   const runtime = await createRuntime({ cwd: "path/to/project" });
 *   const res = await runtime.dispatchFetch("http://localhost/hello");
 *   const env = runtime.getEnv();           // the same KV data the Worker sees
 *   await runtime.dispose();
 */
import { Readable } from "node:stream";
import { closeAnalyticsEngineWriters } from "./bindings/analytics-engine/index.js";
import { createEnv } from "./bindings/create-env.js";
import { planWorker, type WorkerFlags } from "./config/index.js";
import type { ScheduledResult } from "./runtime/isolate.js";
import { hostServiceTransport } from "./runtime/host-service-transport.js";
import { RunningWorker } from "./runtime/running-worker.js";
import { WorkerDirectory } from "./runtime/service-router.js";
import { startServer } from "./server/http.js";
import { createLogger, type Logger, type LogLevel } from "./shared/log.js";

export { HearthError, isHearthError, type HearthErrorCode } from "./shared/errors.js";
export type { Logger, LogLevel } from "./shared/log.js";
export type { WorkerFlags } from "./config/index.js";

export interface RuntimeOptions extends Partial<WorkerFlags> {
  /** Log lines below this level are dropped (default "warn"). */
  logLevel?: LogLevel;
  /** A logger of your own instead of stdout/stderr. */
  logger?: Logger;
  /** Rebuild and swap the isolate when a source file changes (default false). */
  watch?: boolean;
}

export interface HearthRuntime {
  /** The Worker's name. */
  readonly name: string;
  /** Sends a request to the Worker's fetch handler, as the HTTP server would. */
  dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Runs the Worker's scheduled handler. */
  scheduled(options?: { cron?: string; scheduledTime?: number }): Promise<ScheduledResult>;
  /** The bindings as Node sees them: vars, secrets, and API objects over the same storage. */
  getEnv(): Record<string, unknown>;
  /** Serves the Worker over HTTP too. Port 0 picks a free one. */
  listen(options?: { port?: number; ip?: string }): Promise<URL>;
  dispose(): Promise<void>;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<HearthRuntime> {
  const logger = options.logger ?? createLogger(options.logLevel ?? "warn");
  const plan = planWorker({ ...options, cwd: options.cwd ?? process.cwd() });
  for (const note of plan.notes) logger[note.level](note.message);
  const directory = new WorkerDirectory();
  const worker = await RunningWorker.start(plan, { logger, watch: options.watch ?? false, router: directory });
  directory.add(plan.name, () => worker.service);
  const closers: (() => Promise<void>)[] = [];
  let env: Record<string, unknown> | undefined;

  return {
    name: plan.name,
    async dispatchFetch(input, init) {
      const request = new Request(input, init);
      const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
      const { head, body: responseBody } = await worker.service.fetch(
        { method: request.method, url: request.url, headers: [...request.headers].flat(), httpVersion: "1.1" },
        body,
      );
      const nullBody = head.status === 101 || head.status === 204 || head.status === 205 || head.status === 304;
      const payload =
        responseBody === null || nullBody
          ? null
          : responseBody instanceof Uint8Array
            ? responseBody
            : "text" in responseBody
              ? responseBody.text
              : (Readable.toWeb(responseBody) as ReadableStream<Uint8Array>);
      return new Response(payload as BodyInit | null, { status: head.status, statusText: head.statusText, headers: head.headers });
    },
    scheduled({ cron = "", scheduledTime = Date.now() } = {}) {
      return worker.service.scheduled(cron, scheduledTime);
    },
    getEnv() {
      env ??= createEnv(worker.plan.bindings, { transportTo: (target) => hostServiceTransport(directory, target) });
      return env;
    },
    async listen({ port = 0, ip = "127.0.0.1" } = {}) {
      const server = await startServer({ ip, port, target: () => worker.service, logger, stateRoot: worker.plan.stateRoot });
      closers.push(() => server.close());
      return server.url;
    },
    async dispose() {
      await Promise.all(closers.map((close) => close()));
      // Data points written through getEnv() are committed now rather than lost with the process.
      if (env) closeAnalyticsEngineWriters();
      await worker.dispose();
    },
  };
}
