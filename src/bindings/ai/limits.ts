/**
 * Workers AI constants, one named constant each, a unit in every name.
 *
 * Pure module: imported from the Worker realm (api.worker.ts) and from Node code alike.
 */

/** Where Cloudflare documents the binding (`env.AI.run`, options, streaming). */
export const AI_BINDING_DOCS_URL = "https://developers.cloudflare.com/workers-ai/configuration/bindings/";

/** Where Cloudflare lists Workers AI's errors (internal code, HTTP status, description). */
export const AI_ERRORS_DOCS_URL = "https://developers.cloudflare.com/workers-ai/platform/errors/";

/**
 * `max_tokens` of a text-generation request that names none. Workers AI's default for its text
 * models ("max_tokens ... default 256" on every model page, e.g.
 * https://developers.cloudflare.com/workers-ai/models/llama-3.1-8b-instruct/); OpenAI-compatible
 * servers default to "until the context is full", so Hearth always sends it.
 */
export const AI_DEFAULT_MAX_TOKENS = 256;

/**
 * How long Hearth waits for the inference server to start answering a request, in milliseconds
 * (Hearth's own limit: a local model on a CPU can take minutes for a long prompt). A streamed
 * answer may take longer once its first bytes have arrived.
 */
export const AI_UPSTREAM_TIMEOUT_MS = 300_000;

/** The host the `@cloudflare/ai` wrapper and workerd's shim send the binding's requests to. */
export const AI_BINDING_HOST = "workers-binding.ai";
