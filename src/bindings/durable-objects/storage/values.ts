/**
 * Stored values: V8's structured-clone serialisation, as Cloudflare stores them (a header, then
 * the value). Map, Set, Date, RegExp, BigInt, ArrayBuffer, typed arrays, DataView, Error, nested
 * objects and cycles round-trip; functions, symbols and host objects throw a DataCloneError, as
 * `structuredClone` does. Typed arrays are written natively (not as Node host objects), so a value
 * stored as a Node Buffer comes back a plain Uint8Array.
 */
import { Buffer } from "node:buffer";
import v8 from "node:v8";
import { storageError } from "./errors.js";

/** Serialises `value`; anything that cannot be cloned throws `DataCloneError: <value> could not be cloned.` */
export function serializeValue(value: unknown): Buffer {
  const serializer = new v8.Serializer();
  serializer.writeHeader();
  try {
    serializer.writeValue(value);
  } catch (e) {
    throw storageError("DataCloneError", e instanceof Error ? e.message : String(e));
  }
  return serializer.releaseBuffer();
}

/** Reads a value written by `serializeValue`. */
export function deserializeValue(bytes: Uint8Array): unknown {
  const deserializer = new v8.Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}
