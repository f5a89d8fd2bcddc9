/**
 * The narrow channel between `env.AI` (api.worker.ts) and whatever runs the models (a driver under
 * drivers/). The api validates Workers AI inputs and shapes Workers AI outputs; a backend only
 * runs one already-validated request of a supported task.
 *
 * Contract:
 * - Failures are thrown as errors made by `aiFailureError` (errors.ts): the api turns them into
 *   `InferenceUpstreamError`s or JSON error bodies. Anything else thrown is a bug.
 * - `streamText` resolves once the server has started answering; the stream it returns carries
 *   Workers AI's server-sent events (`data: {"response":"…"}` … `data: [DONE]`) and is converted
 *   as the upstream bytes arrive, never buffered whole. A failure after that errors the stream.
 * - Requests and results are plain data; only the stream and the abort signal are not.
 *
 * Pure module (types only).
 */

/** One chat message as Workers AI takes it (`content` may be a string or a list of parts). */
export interface AiChatMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: unknown;
}

/** Sampling settings, named as Workers AI names them (servers that lack one ignore it). */
export interface AiSampling {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  repetition_penalty?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
}

export interface TextGenerationRequest {
  /** The Workers AI model name (`@cf/…`). */
  model: string;
  /** Exactly one of `prompt` and `messages` is set. */
  prompt?: string;
  messages?: AiChatMessage[];
  /** `raw: true`: the prompt goes to the model as is, without the chat template. */
  raw: boolean;
  maxTokens: number;
  sampling: AiSampling;
  /** Workers AI's `response_format` (`{ type: "json_object" }` or `{ type: "json_schema", json_schema }`). */
  responseFormat?: { type: string; json_schema?: unknown };
  /** Tools in either of Workers AI's forms: `{ type: "function", function }` or legacy `{ name, description, parameters }`. */
  tools?: Record<string, unknown>[];
}

/** Token counts, as Workers AI reports them. */
export interface AiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A tool call in the form of the tools given: legacy `{ name, arguments }` or OpenAI-style. */
export type AiToolCall = { name: string; arguments: unknown } | { id: string; type: "function"; function: { name: string; arguments: string } };

/** What `env.AI.run()` resolves to for a text-generation model without `stream`. */
export interface TextGenerationOutput {
  response: string;
  tool_calls?: AiToolCall[];
  usage?: AiUsage;
}

export interface EmbeddingsRequest {
  /** The Workers AI model name (`@cf/…`). */
  model: string;
  /** At least one text. */
  text: string[];
}

export interface AiBackend {
  /** Where `model` runs, for debug logs: e.g. `llama3.1:8b at http://127.0.0.1:11434/v1`. */
  describe(model: string): string;
  generateText(request: TextGenerationRequest, signal?: AbortSignal): Promise<TextGenerationOutput>;
  streamText(request: TextGenerationRequest, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /** One vector per text, in order. */
  embed(request: EmbeddingsRequest, signal?: AbortSignal): Promise<number[][]>;
}
