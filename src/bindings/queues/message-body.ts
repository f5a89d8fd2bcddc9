/**
 * Message bodies: user values ⇄ the bytes a queue stores, per content type, as workerd
 * (`queue.c++` serialize / deserialize): `text` is a string as UTF-8, `bytes` an ArrayBufferView's
 * bytes (delivered as an ArrayBuffer), `json` JSON text, `v8` the structured-clone wire format.
 *
 * Pure module: the V8 serializer is handed in (Node's `node:v8` on the Node side), so this file
 * runs in the Worker realm and makes its values with that realm's constructors.
 */
import { queueError, type QueueSendMethod } from "./errors.js";
import type { QueueContentType } from "./store.js";

/** The structured-clone wire format: Node's `v8.serialize` / `v8.deserialize`. */
export interface V8Serializer {
  serialize(value: unknown): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A `contentType` option as workerd reads it: any case; anything else is a TypeError. */
export function toContentType(value: unknown): QueueContentType {
  const text = String(value);
  const lower = text.toLowerCase();
  if (lower === "json" || lower === "text" || lower === "bytes" || lower === "v8") return lower;
  throw queueError("unsupportedContentType", text);
}

/** Serialises a body; throws workerd's TypeError when it does not suit the content type. */
export function encodeBody(body: unknown, contentType: QueueContentType, v8: V8Serializer, method: QueueSendMethod): Uint8Array {
  switch (contentType) {
    case "text":
      if (typeof body !== "string") throw queueError("wrongBodyType", "text", typeof body);
      return encoder.encode(body);
    case "bytes": {
      if (!ArrayBuffer.isView(body)) throw queueError("wrongBodyType", "bytes", typeof body);
      const copy = new Uint8Array(body.byteLength);
      copy.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
      return copy;
    }
    case "json": {
      const text = JSON.stringify(body) as string | undefined;
      if (text === undefined) throw queueError("notJson", typeof body);
      return encoder.encode(text);
    }
    case "v8":
      try {
        return v8.serialize(body);
      } catch (error) {
        // A value structured clone cannot copy (a function, a class instance with private state…).
        if (error instanceof Error && / could not be cloned/.test(error.message)) throw new DOMException(error.message, "DataCloneError");
        throw queueError("internal", method, error);
      }
  }
}

/** Turns stored bytes back into the value the consumer sees. */
export function decodeBody(bytes: Uint8Array, contentType: QueueContentType, v8: V8Serializer): unknown {
  switch (contentType) {
    case "text":
      return decoder.decode(bytes);
    case "bytes": {
      const out = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(out).set(bytes);
      return out;
    }
    case "json":
      return JSON.parse(decoder.decode(bytes));
    case "v8":
      return v8.deserialize(bytes);
  }
}
