/**
 * What the client sees when a Worker fails in dev: its stack trace (source-mapped to the user's
 * files) as a readable HTML page for browsers, plain text otherwise. Resource-limit failures get
 * Cloudflare's error 1102 wording.
 */
import type { WireError } from "../runtime/protocol.js";

export interface ErrorResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("text/html");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, detail: string, accept: string | undefined): ErrorResponse {
  if (wantsHtml(accept)) {
    const body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.3rem;color:#b3261e}pre{background:#f6f6f6;padding:1rem;overflow:auto;border-radius:6px}</style>
</head><body><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(detail)}</pre><p>Served by Hearth (dev).</p></body></html>`;
    return { status, headers: [["content-type", "text/html; charset=utf-8"]], body };
  }
  return { status, headers: [["content-type", "text/plain; charset=utf-8"]], body: `${title}\n\n${detail}\n` };
}

/** An uncaught exception in the Worker (Cloudflare's error 1101). */
export function exceptionResponse(error: WireError, accept: string | undefined): ErrorResponse {
  return page(500, `Error 1101: Worker threw exception: ${error.name}: ${error.message}`, error.stack, accept);
}

/** The isolate was stopped for exceeding its CPU or memory limit (Cloudflare's error 1102). */
export function resourceLimitResponse(reason: "cpu" | "memory", accept: string | undefined): ErrorResponse {
  const detail = reason === "cpu" ? "The Worker exceeded its CPU time limit." : "The Worker exceeded its memory limit.";
  return page(503, "Error 1102: Worker exceeded resource limits", detail, accept);
}

/** The isolate died for another reason while handling the request. */
export function isolateCrashResponse(accept: string | undefined): ErrorResponse {
  return page(500, "Error 1101: Worker threw exception", "The Worker's isolate stopped unexpectedly while handling this request.", accept);
}
