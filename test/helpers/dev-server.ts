/**
 * Starts the real `hearth` CLI as a child process (its own process group) and waits until it
 * answers HTTP, for end-to-end tests. Output is collected for assertions and failure messages.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const HEARTH_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/hearth.js");

export interface DevServer {
  url: string;
  port: number;
  output(): string;
  /** Waits until the output contains `text` (or the timeout passes). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly child: ChildProcess;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDev(
  cwd: string,
  args: string[] = [],
  options: { command?: string[]; readyTimeoutMs?: number; env?: Record<string, string> } = {},
): Promise<DevServer> {
  const port = await freePort();
  const command = options.command ?? ["dev"];
  const child = spawn(process.execPath, [HEARTH_BIN, ...command, ...args, "--port", String(port), "--ip", "127.0.0.1"], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  let exited = false;
  child.once("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}`;

  const server: DevServer = {
    url,
    port,
    child,
    output: () => out,
    async waitForOutput(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const found = () => (typeof text === "string" ? out.includes(text) : text.test(out));
      while (!found()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)} in output:\n${out}`);
        await sleep(50);
      }
    },
    fetch: (pathname, init) => fetch(url + pathname, { ...init, redirect: "manual" }),
    async stop(signal = "SIGTERM") {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        process.kill(-child.pid!, signal);
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 5000);
      await done;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (exited) throw new Error(`hearth exited before it was ready:\n${out}`);
    try {
      await fetch(url + "/__hearth_test_ready", { signal: AbortSignal.timeout(2000) });
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop("SIGKILL");
        throw new Error(`hearth did not answer within the timeout:\n${out}`);
      }
      await sleep(100);
    }
  }
}
