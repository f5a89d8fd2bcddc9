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
