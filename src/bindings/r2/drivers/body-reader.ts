/**
 * Reads a range of an object body that is stored as a row value, one blob file, or the blob files
 * of its multipart parts, in chunks of at most R2_READ_CHUNK_BYTES, so no body is ever held whole.
 *
 * The first file the range needs is opened before the reader is handed out (the caller opens it
 * right after reading the row), so a concurrent overwrite that unlinks the file cannot take the
 * bytes away: an open file stays readable after its unlink. Later parts of a multipart object are
 * opened when the read reaches them; if one was removed meanwhile (the object was replaced), the
 * read fails rather than mixing versions. A reader that is dropped without being finished closes
 * its file when it is garbage-collected.
 */
import type fs from "node:fs";
import type { R2BodyReader, R2ByteRange } from "../store.js";
import { R2_READ_CHUNK_BYTES } from "./blob-files.js";

/** One stored piece of a body, in order. */
export type BodySegment = { kind: "bytes"; bytes: Uint8Array } | { kind: "file"; blobId: string; size: number };

/** The piece of a segment a range needs. */
interface Slice {
  segment: BodySegment;
  /** Offset inside the segment, bytes. */
  start: number;
  /** Bytes to read from it. */
  length: number;
}

export type OpenBlob = (blobId: string) => Promise<fs.promises.FileHandle | null>;

/** Closes the open file of a reader nobody finished. */
const unfinished = new FinalizationRegistry<fs.promises.FileHandle>((handle) => {
  handle.close().catch(() => undefined);
});

/** The slices of `segments` that cover `range`. */
export function slicesFor(segments: readonly BodySegment[], range: R2ByteRange): Slice[] {
  const slices: Slice[] = [];
  let segmentStart = 0;
  const end = range.offset + range.length;
  for (const segment of segments) {
    const size = segment.kind === "bytes" ? segment.bytes.byteLength : segment.size;
    const segmentEnd = segmentStart + size;
    const from = Math.max(range.offset, segmentStart);
    const to = Math.min(end, segmentEnd);
    if (from < to) slices.push({ segment, start: from - segmentStart, length: to - from });
    segmentStart = segmentEnd;
    if (segmentStart >= end) break;
  }
  return slices;
}

/**
 * A reader over `slices`. `first` is the already opened file of the first slice when that slice is
 * a file (see the module comment); `openBlob` opens the later ones.
 */
export function createBodyReader(
  slices: readonly Slice[],
  first: fs.promises.FileHandle | undefined,
  openBlob: OpenBlob,
): R2BodyReader {
  return new SliceReader(slices, first, openBlob);
}

class SliceReader implements R2BodyReader {
  readonly #slices: readonly Slice[];
  readonly #openBlob: OpenBlob;
  #index = 0;
  /** Bytes of the current slice already returned. */
  #done = 0;
  #handle: fs.promises.FileHandle | undefined;
  #finished = false;

  constructor(slices: readonly Slice[], first: fs.promises.FileHandle | undefined, openBlob: OpenBlob) {
    this.#slices = slices;
    this.#openBlob = openBlob;
    this.#handle = first;
    if (first !== undefined) unfinished.register(this, first, this);
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    try {
      for (;;) {
        if (this.#finished) return { done: true, value: undefined };
        const slice = this.#slices[this.#index];
        if (slice === undefined) {
          await this.#finish();
          return { done: true, value: undefined };
        }
        if (this.#done >= slice.length) {
          await this.#closeFile();
          this.#index++;
          this.#done = 0;
          continue;
        }
        const want = Math.min(R2_READ_CHUNK_BYTES, slice.length - this.#done);
        const position = slice.start + this.#done;
        this.#done += want;
        if (slice.segment.kind === "bytes") return { done: false, value: slice.segment.bytes.slice(position, position + want) };
        return { done: false, value: await this.#readFile(slice.segment.blobId, position, want) };
      }
    } catch (error) {
      await this.#finish();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<Uint8Array, undefined>> {
    await this.#finish();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async #readFile(blobId: string, position: number, length: number): Promise<Uint8Array> {
    if (this.#handle === undefined) {
      const handle = await this.#openBlob(blobId);
      if (handle === null) throw new Error("The object was replaced or deleted while its body was being read.");
      this.#handle = handle;
      unfinished.register(this, handle, this);
    }
    const chunk = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.#handle.read(chunk, filled, length - filled, position + filled);
      if (bytesRead === 0) throw new Error(`R2 blob ${blobId} is shorter than its row says.`);
      filled += bytesRead;
    }
    return chunk;
  }

  async #closeFile(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    unfinished.unregister(this);
    await handle.close().catch(() => undefined);
  }

  async #finish(): Promise<void> {
    this.#finished = true;
    await this.#closeFile();
  }
}
