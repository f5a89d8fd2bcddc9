/** Durable Objects: namespaces and stubs, the in-isolate object host, config → descriptors. */
export { DurableObjectNamespaceImpl, DURABLE_OBJECT_RESERVED_METHODS } from "./api.worker.js";
export type { ObjectChannel } from "./api.worker.js";
export { classDir, durableObjectDescriptors, hostedClasses } from "./binding.js";
export type { DurableObjectBindingConfigEntry, DurableObjectMigrationEntry } from "./binding.js";
export type { HostedClass } from "./engine.js";
export { DurableObjectHost, remoteNamespace } from "./host.js";
export type { DurableObjectHostOptions } from "./host.js";
export { DurableObjectIdImpl } from "./id.js";
