/**
 * Content given to a token's before/after/prepend/append/replace/setInnerContent: a string, or —
 * as Workers allows — a ReadableStream or a Response whose body becomes the content. lol-html takes
 * strings, so a stream is read to its end first; the handler's changes are applied in call order
 * (a change made after a streamed one waits for it), and the handler counts as finished only once
 * all of them are applied.
 */

export interface ContentOptions {
  html?: boolean;
}

type Apply = () => void;

/** The changes one handler call makes, kept in call order. */
export class ContentQueue {
  #pending: Promise<void> | undefined;

  /** Runs `change` now, or after the streamed changes queued before it. */
  run(change: Apply): void {
    if (this.#pending === undefined) change();
    else this.#pending = this.#pending.then(change);
  }

  /** Runs `insert` with the text of `content` (read first when it is a stream or a Response). */
  insert(content: unknown, insert: (text: string) => void): void {
    if (this.#pending === undefined && !isStreamed(content)) {
      insert(contentText(content));
      return;
    }
    const previous = this.#pending ?? Promise.resolve();
    const text = readContent(content);
    this.#pending = previous.then(async () => insert(await text));
  }

  /** Settles when every queued change has been applied; undefined when none is waiting. */
  get settled(): Promise<void> | undefined {
    return this.#pending;
  }
}

/** The options lol-html understands, from whatever the Worker passed. */
export function engineOptions(options: ContentOptions | undefined): { html: boolean } {
  return { html: Boolean(options?.html) };
}

function isStreamed(content: unknown): content is ReadableStream | Response {
  return content instanceof ReadableStream || content instanceof Response;
}

function contentText(content: unknown): string {
  return typeof content === "string" ? content : String(content);
}

async function readContent(content: unknown): Promise<string> {
  if (!isStreamed(content)) return contentText(content);
  const stream = content instanceof Response ? content.body : content;
  if (stream === null) return "";
  const decoder = new TextDecoder();
  let text = "";
  const reader = (stream as ReadableStream<unknown>).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    text += typeof next.value === "string" ? next.value : decoder.decode(toBytes(next.value), { stream: true });
  }
  return text + decoder.decode();
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  return new TextEncoder().encode(String(chunk));
}
