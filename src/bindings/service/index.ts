/** Service bindings: the Fetcher / RPC object, its transport contract and its descriptors. */
export { createServiceBinding, rebuildError } from "./api.worker.js";
export { serviceDescriptors } from "./binding.js";
export type { ServiceBindingConfigEntry } from "./binding.js";
export type { ServiceError, ServiceRequest, ServiceResponse, ServiceTransport } from "./transport.js";
