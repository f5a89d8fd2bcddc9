/**
 * Turns binding descriptors into the values user code sees on `env` (or as globals in
 * service-worker format). Runs wherever an `env` is needed: inside an isolate, or in Node for
 * the library's `getEnv()`.
 */
import type { BindingDescriptor } from "./descriptor.js";
import { createAnalyticsEngineDataset } from "./analytics-engine/index.js";
import { createAiBinding } from "./ai/index.js";
import { createAssetsBinding } from "./assets/index.js";
import { createD1Database } from "./d1/index.js";
import { remoteNamespace, type DurableObjectHost } from "./durable-objects/index.js";
import { createKvNamespace } from "./kv/index.js";
import { createR2Bucket } from "./r2/index.js";
import { createQueueProducer } from "./queues/index.js";
import { createServiceBinding, type ServiceTarget, type ServiceTransport } from "./service/index.js";

/** What bindings that reach other Workers need from wherever the env is made. */
export interface EnvContext {
  /** The channel to another Worker, or to one of its Durable Objects. */
  transportTo(target: ServiceTarget): ServiceTransport;
  /** Inside an isolate: the host of the Worker's own Durable Object classes. */
  durableObjects?: DurableObjectHost;
}

export function createBindingValue(descriptor: BindingDescriptor, context: EnvContext): unknown {
  switch (descriptor.kind) {
    case "text":
    case "json":
      return descriptor.value;
    case "kv":
      return createKvNamespace(descriptor);
    case "r2":
      return createR2Bucket(descriptor);
    case "d1":
      return createD1Database(descriptor);
    case "assets":
      return createAssetsBinding(descriptor);
    case "queue":
      return createQueueProducer(descriptor);
    case "ai":
      return createAiBinding(descriptor);
    case "analytics-engine":
      return createAnalyticsEngineDataset(descriptor);
    case "durable-object":
      return context.durableObjects ? context.durableObjects.namespace(descriptor) : remoteNamespace(descriptor, context.transportTo);
    case "service":
      return createServiceBinding(context.transportTo({ service: descriptor.service, entrypoint: descriptor.entrypoint, props: descriptor.props }));
  }
}

export function createEnv(descriptors: BindingDescriptor[], context: EnvContext): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const descriptor of descriptors) env[descriptor.name] = createBindingValue(descriptor, context);
  return env;
}
