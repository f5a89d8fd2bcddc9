/**
 * Turns binding descriptors into the values user code sees on `env` (or as globals in
 * service-worker format). Runs wherever an `env` is needed: inside an isolate, or in Node for
 * the library's `getEnv()`.
 */
import type { BindingDescriptor, ServiceBinding } from "./descriptor.js";
import { createAssetsBinding } from "./assets/index.js";
import { createKvNamespace } from "./kv/index.js";
import { createServiceBinding, type ServiceTransport } from "./service/index.js";

/** What bindings that reach other Workers need from wherever the env is made. */
export interface EnvContext {
  /** The channel to a service binding's target Worker. */
  serviceTransport(binding: ServiceBinding): ServiceTransport;
}

export function createBindingValue(descriptor: BindingDescriptor, context: EnvContext): unknown {
  switch (descriptor.kind) {
    case "text":
    case "json":
      return descriptor.value;
    case "kv":
      return createKvNamespace(descriptor);
    case "assets":
      return createAssetsBinding(descriptor);
    case "service":
      return createServiceBinding(context.serviceTransport(descriptor));
  }
}

export function createEnv(descriptors: BindingDescriptor[], context: EnvContext): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const descriptor of descriptors) env[descriptor.name] = createBindingValue(descriptor, context);
  return env;
}
