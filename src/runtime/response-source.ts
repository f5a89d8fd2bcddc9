/**
 * A shortcut for the common case `new Response("text")`: Node's fetch implementation (undici)
 * keeps the value a body was made from next to its stream. Taking those bytes directly skips
 * reading a web stream, the largest cost of a small response. This relies on undici internals,
 * so anything unexpected falls back to reading the stream (see body-channel.ts).
 */
import type { WholeText } from "./protocol.js";

interface UndiciBody {
  source: unknown;
  stream?: ReadableStream;
}

let stateKey: symbol | null | undefined;

function bodyState(response: Response): UndiciBody | undefined {
  if (stateKey === undefined) {
    stateKey = Object.getOwnPropertySymbols(response).find((s) => s.description === "state") ?? null;
  }
  if (stateKey === null) return undefined;
  const state = (response as unknown as Record<symbol, { body?: UndiciBody } | undefined>)[stateKey];
  return state?.body ?? undefined;
}

/** The whole body, as text or bytes, when it was made from a string or bytes and nobody has touched it yet. */
export function knownBody(response: Response): Uint8Array | WholeText | undefined {
  if (response.bodyUsed) return undefined;
  const body = bodyState(response);
  if (!body || body.stream?.locked) return undefined;
  const { source } = body;
  if (typeof source === "string") return { text: source };
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return undefined;
}
