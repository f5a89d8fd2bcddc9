/** Byte helpers shared by the runtime and the bindings. Pure: safe in any realm. */

/** Joins chunks into one array; `total` is their summed length. A single chunk is returned as is. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The end of the key range that `prefix` starts: the smallest byte string greater than every
 * string starting with `prefix`, or null when none exists (empty, or all 0xff). The result is a
 * fresh copy of the same class as `prefix` (a Buffer for a Buffer); `prefix` is left untouched.
 */
export function prefixUpperBound<T extends Uint8Array>(prefix: T): T | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const upper = Uint8Array.prototype.slice.call(prefix, 0, i + 1) as T;
      upper[i]! += 1;
      return upper;
    }
  }
  return null;
}

/** Length of `s` in UTF-8 bytes, without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/** An ArrayBuffer from any realm (an `instanceof` check would miss one made in another realm). */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** The bytes of an ArrayBuffer (of any realm) or an ArrayBufferView, without copying; undefined for anything else. */
export function byteView(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (isArrayBuffer(value)) return new Uint8Array(value);
  return undefined;
}
