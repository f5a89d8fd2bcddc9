/**
 * Starts test/fixtures/openai-compatible-server.mjs as a child process, for Workers AI tests: a
 * real OpenAI-compatible HTTP server on a free loopback port, with deterministic answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const OPENAI_FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/openai-compatible-server.mjs");

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

export interface OpenAiServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v1`, what HEARTH_AI_BASE_URL names. */
  baseUrl: string;
  /** The last request the server received under /v1. */
  lastRequest(): Promise<RecordedRequest>;
  /** Lets streams paused by "[hold]" go on. */
  release(): Promise<void>;
  stop(): Promise<void>;
  readonly child: ChildProcess;
}

export async function startOpenAiServer(args: string[] = []): Promise<OpenAiServer> {
  // stdin stays a pipe: the server exits when it closes, so it never outlives this process.
  const child = spawn(process.execPath, [OPENAI_FIXTURE, "--exit-with-stdin", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenAI-compatible fixture did not start:\n${out}`)), 10_000);
    const onData = (data: Buffer) => {
      out += data.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (data: Buffer) => (out += data.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the OpenAI-compatible fixture exited (${code}):\n${out}`));
    });
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  return {
    origin,
    baseUrl: `${origin}/v1`,
    child,
    async lastRequest() {
      return (await (await fetch(`${origin}/__last`)).json()) as RecordedRequest;
    },
    async release() {
      await fetch(`${origin}/__release`, { method: "POST" });
    },
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await done;
    },
  };
}
