/**
 * Workers' `HTMLRewriter` global: `new HTMLRewriter().on(selector, handlers).onDocument(handlers)
 * .transform(response)` returns a new Response whose body is rewritten as it streams (status and
 * headers copied, Content-Length removed since the length changes). Selectors are checked at
 * `on()`, as in Workers, so a bad one throws a TypeError there rather than mid-stream.
 */
import { loadEngine } from "./engine.js";
import { htmlRewriterError } from "./errors.js";
import { rewriterStream, type DocumentRegistration, type ElementRegistration } from "./rewriter-stream.js";
import type { Comment, Doctype, DocumentEnd, Element, TextChunk } from "./tokens.js";

/** What `on(selector, handlers)` takes; each method may return a promise, which is awaited. */
export interface ElementHandlers {
  element?(element: Element): unknown;
  comments?(comment: Comment): unknown;
  text?(text: TextChunk): unknown;
}

/** What `onDocument(handlers)` takes. */
export interface DocumentHandlers {
  doctype?(doctype: Doctype): unknown;
  comments?(comment: Comment): unknown;
  text?(text: TextChunk): unknown;
  end?(end: DocumentEnd): unknown;
}

export class HTMLRewriter {
  readonly #elements: ElementRegistration[] = [];
  readonly #documents: DocumentRegistration[] = [];

  on(selector: string, handlers: ElementHandlers): this {
    if (typeof handlers !== "object" || handlers === null) throw htmlRewriterError("notHandlers", "on");
    const text = String(selector);
    checkSelector(text);
    this.#elements.push({ selector: text, handlers: handlers as unknown as Record<string, unknown> });
    return this;
  }

  onDocument(handlers: DocumentHandlers): this {
    if (typeof handlers !== "object" || handlers === null) throw htmlRewriterError("notHandlers", "onDocument");
    this.#documents.push(handlers as unknown as Record<string, unknown>);
    return this;
  }

  transform(response: Response): Response {
    if (!(response instanceof Response)) throw htmlRewriterError("notResponse");
    const body = response.body;
    if (body === null) return new Response(null, response);
    const { stream, release } = rewriterStream([...this.#elements], [...this.#documents]);
    body.pipeTo(stream.writable).then(release, release);
    const transformed = new Response(stream.readable, response);
    transformed.headers.delete("content-length");
    return transformed;
  }
}

/** Throws the TypeError Workers gives for a selector lol-html cannot parse. */
function checkSelector(selector: string): void {
  const probe = new (loadEngine().HTMLRewriter)(() => {});
  try {
    probe.on(selector, {});
  } catch (error) {
    throw htmlRewriterError("invalidSelector", error instanceof Error ? error.message : String(error));
  } finally {
    probe.free();
  }
}
