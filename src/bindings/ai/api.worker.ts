/**
 * `env.AI` as user code sees it (api-surface.md 7): `run(model, inputs, options)`, `fetch()` in the
 * wire form the `@cloudflare/ai` wrapper uses, `lastRequestId`, `getLogs()`. The models run on an
 * `AiBackend` handed in by binding.ts; this file checks Workers AI inputs, shapes Workers AI outputs
 * and makes Workers AI's errors, and never imports a driver or a Node module.
 *
 * Behaviour follows workerd's `src/cloudflare/internal/ai-api.ts` (run, errors, `lastRequestId`)
 * and `@cloudflare/ai` 1.1.0 / 1.2.2 (the two ways the wrapper reaches the binding):
 * - 1.2.x calls `binding.run(model, inputs, options)`, then reads `binding.lastRequestId` and,
 *   with `debug`, `binding.getLogs()`.
 * - 1.1.0 calls `binding.fetch("http://workers-binding.ai/run?version=2", …)` with the model in
 *   `cf-consn-model-id` and `{ inputs, options }` as the body; it reads `cf-ai-req-id`, the
 *   base64 JSON `cf-ai-logs` when debugging, and un-gzips every non-streamed body. Version 3 (what
 *   workerd's own shim sends) answers JSON uncompressed and errors as `{ internalCode, name, description }`.
 */
import type { AiBackend, AiChatMessage, AiSampling, TextGenerationRequest } from "./backend.js";
import { aiFailure, aiThrow, failureBody, failureOf, inferenceUpstreamError, type AiFailure } from "./errors.js";
import { AI_DEFAULT_MAX_TOKENS } from "./limits.js";
import { isSupportedTask, taskOf, type AiTask } from "./models.js";

/** `AiOptions` of @cloudflare/workers-types, plus the wrapper's `debug`. */
export interface AiRunOptions {
  gateway?: { id: string; [key: string]: unknown };
  returnRawResponse?: boolean;
  queueRequest?: boolean;
  websocket?: boolean;
  prefix?: string;
  extraHeaders?: object;
  signal?: AbortSignal;
  /** `@cloudflare/ai`'s option: keep logs of the call for `getLogs()` / `cf-ai-logs`. */
  debug?: boolean;
  [key: string]: unknown;
}

/** The binding object (workers-types `Ai`), as far as Hearth implements it. */
export interface Ai {
  run(model: string, inputs: Record<string, unknown>, options?: AiRunOptions): Promise<unknown>;
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Logs of the last `run` made with `debug` (else empty). */
  getLogs(): string[];
  /** The `cf-ai-req-id` of the last request: `""` while one runs, `null` before the first. */
  lastRequestId: string | null;
  /** Always null: Hearth has no AI Gateway. */
  aiGatewayLogId: string | null;
}

export interface AiApiOptions {
  /** Request ids for `cf-ai-req-id` / `lastRequestId`. Default: `crypto.randomUUID`. */
  requestId?: () => string;
}

/** What one request gives before it becomes a return value or a Response. */
type Outcome = { kind: "json"; value: unknown } | { kind: "stream"; body: ReadableStream<Uint8Array> };

const BINDING_METHODS_HEARTH_LACKS = ["gateway", "autorag", "aiSearch", "toMarkdown", "models", "websearch"] as const;

export function createAiApi(backend: AiBackend, options: AiApiOptions = {}): Ai {
  const newRequestId = options.requestId ?? (() => crypto.randomUUID());

  /** Checks the inputs, runs the request on the backend, shapes the output. Throws AiFailureErrors. */
  async function invoke(model: unknown, inputs: unknown, runOptions: AiRunOptions, logs: string[]): Promise<Outcome> {
    if (typeof model !== "string" || model === "") throw aiThrow("unmappedModel", String(model));
    if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) throw aiThrow("invalidInput", "type at '/' must be object");
    if (runOptions.queueRequest) throw aiThrow("unsupportedOption", "queueRequest (the asynchronous batch API): call run() once per input");
    if (runOptions.websocket) throw aiThrow("unsupportedOption", "websocket connections to models");
    const signal = isAbortSignal(runOptions.signal) ? runOptions.signal : undefined;
    if (signal?.aborted) throw aiThrow("aborted");
    const record = inputs as Record<string, unknown>;
    const task: AiTask | undefined = taskOf(model, record);
    if (task === undefined) throw aiThrow("unmappedModel", model);
    if (!isSupportedTask(task)) throw aiThrow("unsupportedTask", model, task);
    if (runOptions.debug) logs.push(`hearth: ${model} (${task}) runs on ${backend.describe(model)}`);
    if (task === "text-embeddings") {
      const text = embeddingTexts(record);
      const vectors = await backend.embed({ model, text }, signal);
      return { kind: "json", value: { shape: [vectors.length, vectors[0]?.length ?? 0], data: vectors } };
    }
    const request = textGenerationRequest(model, record);
    if (record["stream"]) return { kind: "stream", body: await backend.streamText(request, signal) };
    return { kind: "json", value: await backend.generateText(request, signal) };
  }

  /** Runs one request; a failure comes back as data, anything else thrown is a bug and propagates. */
  async function attempt(model: unknown, inputs: unknown, runOptions: AiRunOptions, logs: string[]): Promise<Outcome | { kind: "failure"; failure: AiFailure }> {
    try {
      return await invoke(model, inputs, runOptions, logs);
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      if (runOptions.debug) logs.push(`hearth: ${failure.internalCode}: ${failure.description}`);
      return { kind: "failure", failure };
    }
  }

  class WorkersAi implements Ai {
    lastRequestId: string | null = null;
    aiGatewayLogId: string | null = null;
    #logs: string[] = [];

    async run(model: string, inputs: Record<string, unknown>, runOptions: AiRunOptions = {}): Promise<unknown> {
      this.lastRequestId = "";
      const logs: string[] = [];
      const outcome = await attempt(model, inputs, runOptions ?? {}, logs);
      this.lastRequestId = newRequestId();
      this.#logs = logs;
      if (runOptions?.returnRawResponse) return toResponse(outcome, this.lastRequestId, { gzip: false, logs: undefined });
      if (outcome.kind === "failure") throw inferenceUpstreamError(outcome.failure);
      return outcome.kind === "json" ? outcome.value : outcome.body;
    }

    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.pathname !== "/run" || request.method !== "POST") {
        return new Response(`Hearth's Workers AI binding answers POST /run only, not ${request.method} ${url.pathname}.`, { status: 404 });
      }
      // Version 2 is @cloudflare/ai 1.1.0's: gzip-compressed bodies, errors as plain text.
      const legacy = Number(url.searchParams.get("version") ?? "3") < 3;
      const requestId = newRequestId();
      const header = request.headers.get("cf-consn-model-id");
      let outcome: Awaited<ReturnType<typeof attempt>>;
      let debug = false;
      const logs: string[] = [];
      if (header === null || header === "") {
        outcome = { kind: "failure", failure: aiFailure("incompleteRequest", "the cf-consn-model-id header") };
      } else {
        let body: { inputs?: unknown; options?: AiRunOptions } | undefined;
        try {
          body = JSON.parse(await request.text()) as typeof body;
        } catch {
          body = undefined;
        }
        if (typeof body !== "object" || body === null) {
          outcome = { kind: "failure", failure: aiFailure("incompleteRequest", "a JSON body { inputs, options }") };
        } else {
          const runOptions: AiRunOptions = { ...(typeof body.options === "object" && body.options !== null ? body.options : {}), signal: request.signal };
          debug = runOptions.debug === true;
          outcome = await attempt(modelOf(header), body.inputs, runOptions, logs);
        }
      }
      return toResponse(outcome, requestId, { gzip: legacy, legacyErrors: legacy, logs: debug ? logs : undefined });
    }

    getLogs(): string[] {
      return [...this.#logs];
    }
  }

  for (const name of BINDING_METHODS_HEARTH_LACKS) {
    Object.defineProperty(WorkersAi.prototype, name, {
      value() {
        throw new Error(`Hearth does not support env.AI.${name}() yet; env.AI.run() runs models on your inference server.`);
      },
      writable: true,
      configurable: true,
    });
  }

  return new WorkersAi();
}

/** `cf-consn-model-id` is `[prefix:]model`; Workers AI model names start with `@`. */
function modelOf(header: string): string {
  const colon = header.indexOf(":");
  return colon >= 0 && header[colon + 1] === "@" ? header.slice(colon + 1) : header;
}

/** Recognised by shape, not `instanceof`: a signal from another realm still works. */
function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === "object" && value !== null && typeof (value as AbortSignal).aborted === "boolean" && typeof (value as AbortSignal).addEventListener === "function";
}

function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The Response the AI service would answer with. */
function toResponse(
  outcome: Outcome | { kind: "failure"; failure: AiFailure },
  requestId: string,
  options: { gzip: boolean; legacyErrors?: boolean; logs: string[] | undefined },
): Response {
  const headers = new Headers({ "cf-ai-req-id": requestId });
  if (options.logs) headers.set("cf-ai-logs", base64Utf8(JSON.stringify(options.logs)));
  if (outcome.kind === "failure") {
    if (options.legacyErrors) {
      headers.set("content-type", "text/plain;charset=UTF-8");
      return new Response(`${outcome.failure.internalCode}: ${outcome.failure.description}`, { status: outcome.failure.status, headers });
    }
    headers.set("content-type", "application/json");
    return new Response(failureBody(outcome.failure), { status: outcome.failure.status, headers });
  }
  if (outcome.kind === "stream") {
    headers.set("content-type", "text/event-stream");
    return new Response(outcome.body, { status: 200, headers });
  }
  headers.set("content-type", "application/json");
  const json = JSON.stringify(outcome.value);
  if (!options.gzip) return new Response(json, { status: 200, headers });
  const gzipped = new Blob([json]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(gzipped, { status: 200, headers });
}

// ---------------------------------------------------------------------------------------------
// Input checks, worded as Workers AI's schema validation ("… at '/…' …").
// ---------------------------------------------------------------------------------------------

const SAMPLING_KEYS = ["temperature", "top_p", "top_k", "seed", "repetition_penalty", "frequency_penalty", "presence_penalty"] as const;

function textGenerationRequest(model: string, inputs: Record<string, unknown>): TextGenerationRequest {
  const hasPrompt = inputs["prompt"] !== undefined;
  const hasMessages = inputs["messages"] !== undefined;
  if (hasPrompt === hasMessages) {
    throw aiThrow(
      "invalidInput",
      hasPrompt
        ? "oneOf at '/' not met, 2 matches: give either prompt or messages, not both"
        : "oneOf at '/' not met, 0 matches: required properties at '/' are 'prompt', required properties at '/' are 'messages'",
    );
  }
  const request: TextGenerationRequest = {
    model,
    raw: inputs["raw"] === true,
    maxTokens: AI_DEFAULT_MAX_TOKENS,
    sampling: {},
  };
  if (hasPrompt) {
    if (typeof inputs["prompt"] !== "string") throw aiThrow("invalidInput", "type at '/prompt' must be string");
    if (inputs["prompt"] === "") throw aiThrow("invalidInput", "minLength at '/prompt' must NOT have fewer than 1 characters");
    request.prompt = inputs["prompt"];
  } else {
    request.messages = chatMessages(inputs["messages"]);
    if (request.raw) throw aiThrow("invalidInput", "raw at '/' needs a prompt, not messages");
  }
  if (inputs["max_tokens"] !== undefined) request.maxTokens = integerAt(inputs["max_tokens"], "max_tokens", 1);
  const sampling: AiSampling = {};
  for (const key of SAMPLING_KEYS) {
    const value = inputs[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) throw aiThrow("invalidInput", `type at '/${key}' must be number`);
    sampling[key] = value;
  }
  request.sampling = sampling;
  const format = inputs["response_format"];
  if (format !== undefined) {
    if (typeof format !== "object" || format === null || typeof (format as { type?: unknown }).type !== "string") {
      throw aiThrow("invalidInput", "required properties at '/response_format' are 'type'");
    }
    request.responseFormat = format as { type: string; json_schema?: unknown };
  }
  if (inputs["tools"] !== undefined) {
    const tools = inputs["tools"];
    if (!Array.isArray(tools) || !tools.every((t) => typeof t === "object" && t !== null)) throw aiThrow("invalidInput", "type at '/tools' must be array of objects");
    request.tools = tools as Record<string, unknown>[];
  }
  if (Array.isArray(inputs["functions"]) && inputs["functions"].length > 0) {
    throw aiThrow("unsupportedOption", "functions (embedded function calling); pass tools and run the calls yourself");
  }
  return request;
}

function chatMessages(value: unknown): AiChatMessage[] {
  if (!Array.isArray(value)) throw aiThrow("invalidInput", "type at '/messages' must be array");
  if (value.length === 0) throw aiThrow("invalidInput", "minItems at '/messages' must NOT have fewer than 1 items");
  return value.map((message, i) => {
    if (typeof message !== "object" || message === null) throw aiThrow("invalidInput", `type at '/messages/${i}' must be object`);
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== "string") throw aiThrow("invalidInput", `required properties at '/messages/${i}' are 'role'`);
    const toolCalls = (message as Record<string, unknown>)["tool_calls"];
    if (content === undefined && toolCalls === undefined) throw aiThrow("invalidInput", `required properties at '/messages/${i}' are 'content'`);
    return message as AiChatMessage;
  });
}

function integerAt(value: unknown, key: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw aiThrow("invalidInput", `type at '/${key}' must be integer`);
  if (value < min) throw aiThrow("invalidInput", `minimum at '/${key}' must be >= ${min}`);
  return value;
}

function embeddingTexts(inputs: Record<string, unknown>): string[] {
  const text = inputs["text"];
  if (text === undefined) throw aiThrow("invalidInput", "required properties at '/' are 'text'");
  const texts = typeof text === "string" ? [text] : text;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === "string")) throw aiThrow("invalidInput", "type at '/text' must be string or array of strings");
  if (texts.length === 0) throw aiThrow("invalidInput", "minItems at '/text' must NOT have fewer than 1 items");
  return texts as string[];
}
