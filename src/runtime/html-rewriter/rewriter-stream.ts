/**
 * One transform of HTMLRewriter: a TransformStream whose bytes go through a fresh engine rewriter
 * with the Worker's handlers. Streaming, chunk by chunk: the engine emits output while it parses,
 * so memory stays flat however long the page is (backpressure comes from the TransformStream).
 *
 * Handlers are wrapped so the engine never sees a user exception: the first error is kept, later
 * handlers are skipped, and the stream errors with it once the engine returns. (The engine's
 * async bridge must never see a rejected promise; it cannot unwind cleanly from one.)
 */
import { concatBytes } from "../../shared/bytes.js";
import { ContentQueue } from "./content.js";
import { loadEngine, type EngineDocumentHandlers, type EngineElementHandlers, type EngineRewriter } from "./engine.js";
import { htmlRewriterError } from "./errors.js";
import { Comment, Doctype, DocumentEnd, Element, TextChunk, type WrapHandler } from "./tokens.js";

/** The handler objects a Worker registered with `on()` and `onDocument()`. */
export type ElementRegistration = { selector: string; handlers: Record<string, unknown> };
export type DocumentRegistration = Record<string, unknown>;

/** The stream, and `release()` to free the engine's memory once the transform is over (any way it ends). */
export interface RewriterStream {
  stream: TransformStream<unknown, Uint8Array>;
  release(): void;
}

export function rewriterStream(elements: readonly ElementRegistration[], documents: readonly DocumentRegistration[]): RewriterStream {
  let rewriter: EngineRewriter | undefined;
  let failure: { error: unknown } | undefined;
  let busy = false;
  let finished = false;
  /**
   * The engine emits output token by token (often a few bytes each); it is gathered here and
   * enqueued as one chunk per input chunk, so the stream carries few large chunks, never more
   * than one input chunk's worth.
   */
  const output: Uint8Array[] = [];
  let flushOutput = () => {};

  const wrap: WrapHandler = (handler, thisArg, view) => (inner) => {
    if (failure !== undefined) {
      freeToken(inner);
      return;
    }
    const queue = new ContentQueue();
    let result: unknown;
    try {
      result = handler.call(thisArg, view(inner, queue));
    } catch (error) {
      failure = { error };
      freeToken(inner);
      return;
    }
    const thenable = typeof (result as PromiseLike<unknown> | undefined)?.then === "function";
    if (!thenable && queue.settled === undefined) {
      freeToken(inner);
      return;
    }
    return (async () => {
      try {
        await result;
        await queue.settled;
      } catch (error) {
        failure ??= { error };
      } finally {
        freeToken(inner);
      }
    })();
  };

  const release = () => {
    finished = true;
    if (busy || rewriter === undefined) return;
    rewriter.free();
    rewriter = undefined;
  };
  const run = async (step: (r: EngineRewriter) => Promise<void>) => {
    if (rewriter === undefined) return;
    busy = true;
    try {
      await step(rewriter);
    } finally {
      busy = false;
    }
    flushOutput();
    if (failure !== undefined) {
      release();
      throw failure.error;
    }
    if (finished) release();
  };

  const stream = new TransformStream<unknown, Uint8Array>({
    start(controller) {
      const engine = loadEngine();
      rewriter = new engine.HTMLRewriter((chunk) => {
        if (chunk.byteLength > 0) output.push(chunk);
      });
      flushOutput = () => {
        if (output.length > 0) controller.enqueue(concat(output.splice(0)));
      };
      for (const { selector, handlers } of elements) rewriter.on(selector, elementHandlers(handlers, wrap));
      for (const handlers of documents) rewriter.onDocument(documentHandlers(handlers, wrap));
    },
    async transform(chunk) {
      const bytes = toBytes(chunk);
      try {
        await run((r) => r.write(bytes));
      } catch (error) {
        release();
        throw error;
      }
    },
    async flush() {
      try {
        await run((r) => r.end());
      } finally {
        release();
      }
    },
  });
  return { stream, release };
}

function elementHandlers(handlers: Record<string, unknown>, wrap: WrapHandler): EngineElementHandlers {
  const out: EngineElementHandlers = {};
  const { element, comments, text } = handlers;
  if (typeof element === "function") out.element = wrap(element as (e: Element) => unknown, handlers, (inner, queue) => new Element(inner as never, queue, wrap));
  if (typeof comments === "function") out.comments = wrap(comments as (c: Comment) => unknown, handlers, (inner, queue) => new Comment(inner as never, queue));
  if (typeof text === "function") out.text = wrap(text as (t: TextChunk) => unknown, handlers, (inner, queue) => new TextChunk(inner as never, queue));
  return out;
}

function documentHandlers(handlers: Record<string, unknown>, wrap: WrapHandler): EngineDocumentHandlers {
  const out: EngineDocumentHandlers = {};
  const { doctype, comments, text, end } = handlers;
  if (typeof doctype === "function") out.doctype = wrap(doctype as (d: Doctype) => unknown, handlers, (inner) => new Doctype(inner as never));
  if (typeof comments === "function") out.comments = wrap(comments as (c: Comment) => unknown, handlers, (inner, queue) => new Comment(inner as never, queue));
  if (typeof text === "function") out.text = wrap(text as (t: TextChunk) => unknown, handlers, (inner, queue) => new TextChunk(inner as never, queue));
  if (typeof end === "function") out.end = wrap(end as (e: DocumentEnd) => unknown, handlers, (inner, queue) => new DocumentEnd(inner as never, queue));
  return out;
}

/**
 * Frees the engine's wrapper of a token once its handler is done. The engine hands each token to
 * JavaScript as an object owning a small WebAssembly allocation that nothing else frees: without
 * this, a long page leaks wasm memory per element.
 */
function freeToken(token: unknown): void {
  (token as { free?: () => void }).free?.();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  return concatBytes(chunks, size);
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw htmlRewriterError("chunkNotBytes");
}
