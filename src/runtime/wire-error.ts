import type { WireError } from "./protocol.js";

/** Hearth's own code, whose frames are noise in a user's stack trace. */
const RUNTIME_DIR_URL = new URL(".", import.meta.url).href;
const RUNTIME_DIR_PATH = decodeURIComponent(new URL(".", import.meta.url).pathname);

function isUserFrame(line: string): boolean {
  if (!line.trimStart().startsWith("at ")) return true;
  return !line.includes(RUNTIME_DIR_URL) && !line.includes(RUNTIME_DIR_PATH) && !line.includes("node:internal");
}

/** Flattens anything thrown into a cloneable record; reading `stack` applies source maps. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const e = error as Error;
    const stack = String(e.stack ?? `${e.name}: ${e.message}`);
    return { name: String(e.name ?? "Error"), message: String(e.message), stack: stack.split("\n").filter(isUserFrame).join("\n") };
  }
  return { name: "Error", message: String(error), stack: `Uncaught ${String(error)}` };
}
