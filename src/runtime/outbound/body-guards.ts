/**
 * Reading a used body rejects with workerd's TypeError (api/http.c++ Body) instead of Node's
 * "Body is unusable", and `bytes()` exists on Request and Response as in Workers. Patched on the
 * prototypes once per isolate; the check is one `bodyUsed` read before Node's own method.
 */
import { BODY_USED } from "./errors.js";

const READERS = ["arrayBuffer", "blob", "bytes", "formData", "json", "text"] as const;

type Reader = (this: Body) => Promise<unknown>;

export function guardBodyReaders(proto: Body): void {
  const target = proto as unknown as Record<string, unknown>;
  if (typeof target.bytes !== "function") {
    Object.defineProperty(target, "bytes", {
      value: async function bytes(this: Body): Promise<Uint8Array> {
        return new Uint8Array(await this.arrayBuffer());
      },
      writable: true,
      configurable: true,
    });
  }
  for (const name of READERS) {
    const original = target[name] as Reader | undefined;
    if (typeof original !== "function") continue;
    const guarded = {
      [name](this: Body): Promise<unknown> {
        if (this.bodyUsed) return Promise.reject(new TypeError(BODY_USED));
        return original.call(this);
      },
    }[name]!;
    Object.defineProperty(target, name, { value: guarded, writable: true, configurable: true });
  }
}
