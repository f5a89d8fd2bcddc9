/**
 * What HTMLRewriter handlers receive: Workers' Element, EndTag, Comment, Text, Doctype and
 * DocumentEnd, each a thin view of the engine's token that accepts Workers' content kinds (see
 * content.ts) and keeps the handler's changes in call order.
 */
import type { ContentOptions, ContentQueue } from "./content.js";
import { engineOptions } from "./content.js";
import { htmlRewriterError } from "./errors.js";
import type {
  EngineComment,
  EngineDoctype,
  EngineDocumentEnd,
  EngineElement,
  EngineEndTag,
  EngineTextChunk,
} from "./engine.js";

/** Wraps a handler the Worker gave for a token kind into one the engine calls. */
export type WrapHandler = <E, T>(handler: (token: T) => unknown, thisArg: unknown, view: (inner: E, queue: ContentQueue) => T) => (inner: E) => void | Promise<void>;

export class Element {
  readonly #inner: EngineElement;
  readonly #queue: ContentQueue;
  readonly #wrap: WrapHandler;

  constructor(inner: EngineElement, queue: ContentQueue, wrap: WrapHandler) {
    this.#inner = inner;
    this.#queue = queue;
    this.#wrap = wrap;
  }

  get tagName(): string {
    return this.#inner.tagName;
  }
  set tagName(name: string) {
    this.#queue.run(() => {
      this.#inner.tagName = String(name);
    });
  }
  get attributes(): IterableIterator<[string, string]> {
    return this.#inner.attributes[Symbol.iterator]();
  }
  get namespaceURI(): string {
    return this.#inner.namespaceURI;
  }
  get removed(): boolean {
    return this.#inner.removed;
  }
  getAttribute(name: string): string | null {
    return this.#inner.getAttribute(String(name));
  }
  hasAttribute(name: string): boolean {
    return this.#inner.hasAttribute(String(name));
  }
  setAttribute(name: string, value: string): this {
    this.#queue.run(() => this.#inner.setAttribute(String(name), String(value)));
    return this;
  }
  removeAttribute(name: string): this {
    this.#queue.run(() => this.#inner.removeAttribute(String(name)));
    return this;
  }
  before(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.before(text, engineOptions(options)));
    return this;
  }
  after(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.after(text, engineOptions(options)));
    return this;
  }
  prepend(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.prepend(text, engineOptions(options)));
    return this;
  }
  append(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.append(text, engineOptions(options)));
    return this;
  }
  replace(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.replace(text, engineOptions(options)));
    return this;
  }
  setInnerContent(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.setInnerContent(text, engineOptions(options)));
    return this;
  }
  remove(): this {
    this.#queue.run(() => this.#inner.remove());
    return this;
  }
  removeAndKeepContent(): this {
    this.#queue.run(() => this.#inner.removeAndKeepContent());
    return this;
  }
  onEndTag(handler: (endTag: EndTag) => unknown): void {
    if (typeof handler !== "function") throw htmlRewriterError("endTagHandlerNotFunction");
    const engineHandler = this.#wrap(handler, this, (inner: EngineEndTag, queue) => new EndTag(inner, queue));
    this.#queue.run(() => this.#inner.onEndTag(engineHandler));
  }
}

export class EndTag {
  readonly #inner: EngineEndTag;
  readonly #queue: ContentQueue;

  constructor(inner: EngineEndTag, queue: ContentQueue) {
    this.#inner = inner;
    this.#queue = queue;
  }

  get name(): string {
    return this.#inner.name;
  }
  set name(name: string) {
    this.#queue.run(() => {
      this.#inner.name = String(name);
    });
  }
  before(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.before(text, engineOptions(options)));
    return this;
  }
  after(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.after(text, engineOptions(options)));
    return this;
  }
  remove(): this {
    this.#queue.run(() => this.#inner.remove());
    return this;
  }
}

export class Comment {
  readonly #inner: EngineComment;
  readonly #queue: ContentQueue;

  constructor(inner: EngineComment, queue: ContentQueue) {
    this.#inner = inner;
    this.#queue = queue;
  }

  get text(): string {
    return this.#inner.text;
  }
  set text(text: string) {
    this.#queue.run(() => {
      this.#inner.text = String(text);
    });
  }
  get removed(): boolean {
    return this.#inner.removed;
  }
  before(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.before(text, engineOptions(options)));
    return this;
  }
  after(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.after(text, engineOptions(options)));
    return this;
  }
  replace(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.replace(text, engineOptions(options)));
    return this;
  }
  remove(): this {
    this.#queue.run(() => this.#inner.remove());
    return this;
  }
}

/** Workers calls this `Text`; named TextChunk here so it does not shadow the DOM's Text type. */
export class TextChunk {
  readonly #inner: EngineTextChunk;
  readonly #queue: ContentQueue;

  constructor(inner: EngineTextChunk, queue: ContentQueue) {
    this.#inner = inner;
    this.#queue = queue;
  }

  get text(): string {
    return this.#inner.text;
  }
  get lastInTextNode(): boolean {
    return this.#inner.lastInTextNode;
  }
  get removed(): boolean {
    return this.#inner.removed;
  }
  before(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.before(text, engineOptions(options)));
    return this;
  }
  after(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.after(text, engineOptions(options)));
    return this;
  }
  replace(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.replace(text, engineOptions(options)));
    return this;
  }
  remove(): this {
    this.#queue.run(() => this.#inner.remove());
    return this;
  }
}

export class Doctype {
  readonly #inner: EngineDoctype;

  constructor(inner: EngineDoctype) {
    this.#inner = inner;
  }

  get name(): string | null {
    return this.#inner.name;
  }
  get publicId(): string | null {
    return this.#inner.publicId;
  }
  get systemId(): string | null {
    return this.#inner.systemId;
  }
}

export class DocumentEnd {
  readonly #inner: EngineDocumentEnd;
  readonly #queue: ContentQueue;

  constructor(inner: EngineDocumentEnd, queue: ContentQueue) {
    this.#inner = inner;
    this.#queue = queue;
  }

  append(content: unknown, options?: ContentOptions): this {
    this.#queue.insert(content, (text) => this.#inner.append(text, engineOptions(options)));
    return this;
  }
}
