/** Service bindings: the Fetcher / RPC object, its transport contract and its descriptors. */
export { callOver, createServiceBinding, fetchOver, rebuildError, rpcProxy } from "./api.worker.js";
export { serviceDescriptors } from "./binding.js";
export type { ServiceBindingConfigEntry } from "./binding.js";
export type { DurableObjectAddress, ServiceError, ServiceRequest, ServiceResponse, ServiceTarget, ServiceTransport } from "./transport.js";
