/**
 * Every error Workers AI user code can see is made here.
 *
 * On Cloudflare a failed `env.AI.run()` throws `InferenceUpstreamError` whose message is
 * `<internalCode>: <description>` (workerd `src/cloudflare/internal/ai-api.ts` parses the service's
 * JSON error `{ internalCode, name, description }`). Hearth answers the same way, with the codes of
 * Cloudflare's table (https://developers.cloudflare.com/workers-ai/platform/errors/) where the
 * meaning matches, and adds to the description what to change in Hearth's setup: which model map
 * entry, which setting (`HEARTH_AI_BASE_URL`, `[ai] base_url`, `[ai.models]`).
 *
 * Pure module: runs in the Worker realm (errors are made with that realm's constructors).
 */

/** A failure of one AI request, before it becomes a thrown error or a JSON error body. */
export interface AiFailure {
  /** Workers AI's internal code (the number before the colon of the message). */
  internalCode: number;
  /** The HTTP status the AI service answers with. */
  status: number;
  /** Goes into `error.name` (always `InferenceUpstreamError` in Hearth). */
  name: string;
  description: string;
}

/** Thrown by a backend (and by the api's checks); recognised by its brand, not `instanceof`. */
export interface AiFailureError extends Error {
  readonly aiFailure: AiFailure;
}

const NAME = "InferenceUpstreamError";

/** Where the inference server setting lives, for the guidance in messages. */
const SETTING_HINT = 'set HEARTH_AI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) or base_url in the [ai] table of your wrangler config';

const AI_FAILURES = {
  /** Cloudflare: "No such model ${model} or task" (5007, 400). Hearth: the model map has no entry for it. */
  unmappedModel: (model: string) =>
    failure(
      5007,
      400,
      `No such model ${model} or task. Hearth has no local model for it: map it to a model your inference server has, e.g. in wrangler.toml [ai.models] "${model}" = "llama3.1:8b".`,
    ),
  /** Cloudflare's 5007 for a task Hearth cannot run on an OpenAI-compatible server. */
  unsupportedTask: (model: string, task: string) =>
    failure(
      5007,
      400,
      `No such model ${model} or task. Hearth runs text generation and text embeddings only; the task of ${model} is ${task}.`,
    ),
  /** Cloudflare's 5007 for a mapped model the inference server says it does not have. */
  missingLocalModel: (model: string, localModel: string, baseUrl: string, detail: string) =>
    failure(
      5007,
      400,
      `No such model ${model} or task. The inference server at ${baseUrl} has no model "${localModel}" (${detail}). Load or pull it there (with Ollama: ollama pull ${localModel}), or map ${model} to another model in [ai.models].`,
    ),
  /** Input validation, worded as Workers AI's schema check (5006). */
  invalidInput: (detail: string) => failure(5006, 400, `Error: ${detail}`),
  /** An option or form of request Hearth does not implement. */
  unsupportedOption: (what: string) => failure(5006, 400, `Error: Hearth does not support ${what}.`),
  /** No inference server configured: Cloudflare's "no more data centers to forward the request to" (3040). */
  notConfigured: (model: string) =>
    failure(3040, 503, `No inference server is configured to run ${model}. Hearth runs Workers AI models on an OpenAI-compatible server you run (Ollama, llama.cpp, vLLM, LM Studio): ${SETTING_HINT}.`),
  /** The configured base URL does not parse. */
  invalidBaseUrl: (baseUrl: string, source: string) =>
    failure(3040, 503, `The inference server address ${JSON.stringify(baseUrl)} from ${source} is not a valid URL: ${SETTING_HINT}.`),
  /** The server could not be reached (refused, DNS, reset before an answer). */
  unreachable: (model: string, baseUrl: string, source: string, detail: string) =>
    failure(
      3040,
      503,
      `Could not reach the inference server at ${baseUrl} (from ${source}) to run ${model}: ${detail}. Start the server, or point Hearth at another one: ${SETTING_HINT}.`,
    ),
  /** The server answered with an error or with something that is not an OpenAI-compatible answer. */
  upstream: (model: string, baseUrl: string, detail: string) =>
    failure(3043, 500, `Internal server error: the inference server at ${baseUrl} failed to run ${model}: ${detail}`),
  /** Cloudflare: "Request timeout" (3007, 408). */
  timeout: (model: string, baseUrl: string, ms: number) =>
    failure(3007, 408, `Request timeout: the inference server at ${baseUrl} did not answer within ${ms} ms to run ${model}.`),
  /** Cloudflare: "Request was aborted" (3008, 408); the caller's `signal` fired. */
  aborted: () => failure(3008, 408, "Request was aborted"),
  /** Cloudflare: "Request is missing headers or body: {what}" (3003, 400); the binding's fetch form. */
  incompleteRequest: (what: string) => failure(3003, 400, `Request is missing headers or body: ${what}`),
};

export type AiFailureKind = keyof typeof AI_FAILURES;

function failure(internalCode: number, status: number, description: string): AiFailure {
  return { internalCode, status, name: NAME, description };
}

/** The failure of `kind`, as plain data. */
export function aiFailure<K extends AiFailureKind>(kind: K, ...args: Parameters<(typeof AI_FAILURES)[K]>): AiFailure {
  return (AI_FAILURES[kind] as (...a: unknown[]) => AiFailure)(...args);
}

/**
 * An error carrying `failure`, for a backend or a check to throw. It is already the error user
 * code would see (an `InferenceUpstreamError`), so one that escapes as is — a streamed answer
 * failing midway — reads right too.
 */
export function aiFailureError(failure: AiFailure): AiFailureError {
  const error = inferenceUpstreamError(failure) as InferenceUpstreamError & { aiFailure: AiFailure };
  error.aiFailure = failure;
  return error;
}

/** Shorthand: `throw aiThrow("timeout", ...)`. */
export function aiThrow<K extends AiFailureKind>(kind: K, ...args: Parameters<(typeof AI_FAILURES)[K]>): AiFailureError {
  return aiFailureError(aiFailure(kind, ...args));
}

/** The failure an error carries, recognised by shape (a thread or a second module copy keeps it working). */
export function failureOf(error: unknown): AiFailure | undefined {
  const carried = (error as { aiFailure?: unknown } | null)?.aiFailure;
  if (typeof carried !== "object" || carried === null) return undefined;
  const { internalCode, status, name, description } = carried as Record<string, unknown>;
  if (typeof internalCode !== "number" || typeof status !== "number" || typeof name !== "string" || typeof description !== "string") return undefined;
  return { internalCode, status, name, description };
}

/** Workers AI's error class (workerd `ai-api.ts`): `name` from the service, message `<code>: <description>`. */
export class InferenceUpstreamError extends Error {
  constructor(message: string, name = NAME) {
    super(message);
    this.name = name;
  }
}

/** What `env.AI.run()` throws for `failure`. */
export function inferenceUpstreamError(failure: AiFailure): InferenceUpstreamError {
  return new InferenceUpstreamError(`${failure.internalCode}: ${failure.description}`, failure.name);
}

/** The JSON body the AI service answers a failed request with (what workerd's shim parses). */
export function failureBody(failure: AiFailure): string {
  return JSON.stringify({ internalCode: failure.internalCode, name: failure.name, description: failure.description });
}
