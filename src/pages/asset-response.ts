/**
 * The asset server on the main thread: a request the server would send to an isolate is answered
 * here instead, from the same AssetServer code `env.ASSETS` uses, when no Function runs for it.
 */
import fs from "node:fs/promises";
import type { AssetResult, AssetServer } from "../bindings/assets/index.js";
import type { IsolateResponse } from "../runtime/isolate.js";
import type { WireRequest } from "../runtime/protocol.js";

/** Header lookup over the wire's alternating name/value list. */
function headerGetter(headers: string[]): { get(name: string): string | null } {
  return {
    get(name) {
      const wanted = name.toLowerCase();
      const values: string[] = [];
      for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() === wanted) values.push(headers[i + 1]!);
      return values.length === 0 ? null : values.join(", ");
    },
  };
}

export async function serveAsset(server: AssetServer, request: Pick<WireRequest, "method" | "url" | "headers">): Promise<IsolateResponse> {
  const result = server.serve({ method: request.method, url: request.url, headers: headerGetter(request.headers) });
  return toIsolateResponse(result);
}

async function toIsolateResponse(result: AssetResult): Promise<IsolateResponse> {
  let body: Uint8Array | { text: string } | null = null;
  if (result.body !== null) {
    body = result.body.kind === "text" ? { text: result.body.text } : new Uint8Array(await fs.readFile(result.body.path));
  }
  const headers: [string, string][] = [...result.headers];
  return { head: { id: 0, status: result.status, statusText: result.statusText, headers }, body };
}
