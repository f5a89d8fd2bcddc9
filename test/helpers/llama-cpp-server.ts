/**
 * Starts test/fixtures/llama-cpp-server.mjs as a child process, for Workers AI tests on a real
 * model runtime: llama.cpp (node-llama-cpp) serving a tiny generated model over the OpenAI API,
 * on a free loopback port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const LLAMA_CPP_FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/llama-cpp-server.mjs");

export interface LlamaCppServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v1`, what HEARTH_AI_BASE_URL names. */
  baseUrl: string;
  /** The one model it serves. */
  model: string;
  /** Its embedding size. */
  dims: number;
  /** What the server printed (llama.cpp's warnings and errors). */
  output(): string;
  stop(): Promise<void>;
  readonly child: ChildProcess;
}

export async function startLlamaCppServer(args: string[] = [], readyTimeoutMs = 30_000): Promise<LlamaCppServer> {
  // stdin stays a pipe: the server exits when it closes, so it never outlives this process.
  const child = spawn(process.execPath, [LLAMA_CPP_FIXTURE, "--exit-with-stdin", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the llama.cpp server did not start within ${readyTimeoutMs} ms:\n${out}`));
    }, readyTimeoutMs);
    child.stdout!.on("data", (data: Buffer) => {
      out += data.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+) model (\S+) dims (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.stderr!.on("data", (data: Buffer) => (out += data.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the llama.cpp server exited (${code}):\n${out}`));
    });
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  const origin = ready[1]!;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    model: ready[2]!,
    dims: Number(ready[3]),
    child,
    output: () => out,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}
