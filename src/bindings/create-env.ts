/**
 * Turns binding descriptors into the values user code sees on `env` (or as globals in
 * service-worker format). Runs wherever an `env` is needed: inside an isolate, or in Node for
 * the library's `getEnv()`.
 */
import type { BindingDescriptor } from "./descriptor.js";
import { createKvNamespace } from "./kv/index.js";

export function createBindingValue(descriptor: BindingDescriptor): unknown {
  switch (descriptor.kind) {
    case "text":
    case "json":
      return descriptor.value;
    case "kv":
      return createKvNamespace(descriptor);
  }
}

export function createEnv(descriptors: BindingDescriptor[]): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const descriptor of descriptors) env[descriptor.name] = createBindingValue(descriptor);
  return env;
}
