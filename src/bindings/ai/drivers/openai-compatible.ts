/**
 * An `AiBackend` that runs Workers AI requests on an OpenAI-compatible inference server the user
 * runs (Ollama, llama.cpp's `llama-server`, vLLM, LM Studio …): `POST <base>/chat/completions`,
 * `<base>/completions` (for `raw` prompts) and `<base>/embeddings`, with the Workers AI model name
 * replaced by the local one from the model map.
 *
 * The HTTP calls use Node's `fetch` as it was when this module loaded, before the Worker's global
 * scope was installed: the binding's own requests are not the Worker's subrequests. Timers come
 * from `node:timers` (the globals are the Workers versions inside an isolate).
 */
import { clearTimeout, setTimeout } from "node:timers";
import type { AiBackend, EmbeddingsRequest, TextGenerationOutput, TextGenerationRequest } from "../backend.js";
import { aiThrow } from "../errors.js";
import { AI_UPSTREAM_TIMEOUT_MS } from "../limits.js";
import { workersAiEventStream } from "./event-stream.js";
import { embeddingVectors, errorDetail, hasLegacyTools, textGenerationBody, textGenerationOutput } from "./openai-shapes.js";

/** Node's fetch, captured at module load (see the file comment). */
const nodeFetch: typeof fetch = globalThis.fetch.bind(globalThis);

export interface OpenAiCompatibleSettings {
  /** The server's API root, e.g. `http://127.0.0.1:11434/v1`; absent when none is configured. */
  baseUrl?: string;
  /** Where `baseUrl` came from, named in errors (`HEARTH_AI_BASE_URL`, `[ai] base_url in wrangler.toml`). */
  baseUrlSource?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Workers AI model name → the server's model name. */
  models: Readonly<Record<string, string>>;
  /** How long to wait for the server to start answering. Default: AI_UPSTREAM_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface OpenAiCompatibleOptions {
  /** The fetch to call the server with. Default: Node's, as captured at module load. */
  fetch?: typeof fetch;
}

interface Target {
  root: string;
  localModel: string;
}

export function openAiCompatibleBackend(settings: OpenAiCompatibleSettings, options: OpenAiCompatibleOptions = {}): AiBackend {
  const doFetch = options.fetch ?? nodeFetch;
  const timeoutMs = settings.timeoutMs ?? AI_UPSTREAM_TIMEOUT_MS;
  const source = settings.baseUrlSource ?? "HEARTH_AI_BASE_URL";

  function target(model: string): Target {
    if (settings.baseUrl === undefined || settings.baseUrl === "") throw aiThrow("notConfigured", model);
    let url: URL;
    try {
      url = new URL(settings.baseUrl);
    } catch {
      throw aiThrow("invalidBaseUrl", settings.baseUrl, source);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw aiThrow("invalidBaseUrl", settings.baseUrl, source);
    const localModel = Object.hasOwn(settings.models, model) ? settings.models[model] : undefined;
    if (localModel === undefined || localModel === "") throw aiThrow("unmappedModel", model);
    return { root: settings.baseUrl.replace(/\/+$/, ""), localModel };
  }

  /**
   * POSTs `body` and resolves with the response once its headers have arrived and it is OK. The
   * caller's signal aborts the request (and a streamed body) until `release()` is called.
   */
  async function post(model: string, at: Target, path: string, body: unknown, signal: AbortSignal | undefined): Promise<{ response: Response; release(): void }> {
    if (signal?.aborted) throw aiThrow("aborted");
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    if (settings.apiKey) headers["authorization"] = `Bearer ${settings.apiKey}`;
    let response: Response;
    try {
      response = await doFetch(at.root + path, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
    } catch (error) {
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) throw aiThrow("aborted");
      if (timedOut) throw aiThrow("timeout", model, at.root, timeoutMs);
      throw aiThrow("unreachable", model, at.root, source, causeText(error));
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      signal?.removeEventListener("abort", onAbort);
      const detail = errorDetail(await response.text().catch(() => ""));
      if (response.status === 404 && /model/i.test(detail)) throw aiThrow("missingLocalModel", model, at.localModel, at.root, detail);
      throw aiThrow("upstream", model, at.root, `${response.status} ${response.statusText}${detail ? `: ${detail}` : ""}`);
    }
    return { response, release: () => signal?.removeEventListener("abort", onAbort) };
  }

  async function json(model: string, at: Target, response: Response): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw aiThrow("upstream", model, at.root, `the answer is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
    }
  }

  const pathOf = (request: TextGenerationRequest) => (request.raw ? "/completions" : "/chat/completions");
  const kindOf = (request: TextGenerationRequest) => (request.raw ? "completion" : "chat") as "completion" | "chat";

  return {
    describe(model) {
      const local = Object.hasOwn(settings.models, model) ? settings.models[model] : undefined;
      return `${local ?? "(no local model)"} at ${settings.baseUrl ?? "(no inference server)"}`;
    },

    async generateText(request, signal): Promise<TextGenerationOutput> {
      const at = target(request.model);
      const { response, release } = await post(request.model, at, pathOf(request), textGenerationBody(request, at.localModel, false), signal);
      const body = await json(request.model, at, response).finally(release);
      const output = textGenerationOutput(body, kindOf(request), hasLegacyTools(request.tools));
      if (!output) throw aiThrow("upstream", request.model, at.root, `the answer has no choices: ${JSON.stringify(body).slice(0, 200)}`);
      return output;
    },

    async streamText(request, signal) {
      const at = target(request.model);
      // The signal stays attached while the stream runs: aborting it cancels the upstream body.
      const { response } = await post(request.model, at, pathOf(request), textGenerationBody(request, at.localModel, true), signal);
      if (response.body === null) throw aiThrow("upstream", request.model, at.root, "the streamed answer has no body");
      return workersAiEventStream(response.body, {
        kind: kindOf(request),
        legacyTools: hasLegacyTools(request.tools),
        fail: (detail) => aiThrow("upstream", request.model, at.root, detail),
      });
    },

    async embed(request: EmbeddingsRequest, signal) {
      const at = target(request.model);
      const { response, release } = await post(request.model, at, "/embeddings", { model: at.localModel, input: request.text }, signal);
      const body = await json(request.model, at, response).finally(release);
      const vectors = embeddingVectors(body, request.text.length);
      if (!vectors) throw aiThrow("upstream", request.model, at.root, `the answer is not ${request.text.length} embedding(s): ${JSON.stringify(body).slice(0, 200)}`);
      return vectors;
    },
  };
}

/** The useful part of a failed fetch: undici puts the socket error (or an AggregateError of them) in `cause`. */
function causeText(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause as { message?: unknown; code?: unknown; errors?: unknown } | undefined;
  if (cause && typeof cause === "object") {
    if (typeof cause.message === "string" && cause.message !== "") return cause.message;
    if (Array.isArray(cause.errors) && cause.errors.length > 0) return cause.errors.map((e) => String((e as { message?: unknown })?.message ?? e)).join("; ");
    if (typeof cause.code === "string") return cause.code;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" && message !== "" ? message : String(error);
}
