/**
 * Wiring for Workers AI: the `[ai]` config table (or Pages' `--ai NAME`) and Hearth's environment
 * variables → a descriptor (host side), descriptor → `env.AI` (isolate side). The only file of
 * this folder that sees config, backend and api together.
 *
 * Settings, highest precedence first:
 * - `HEARTH_AI_BASE_URL` (the inference server, e.g. `http://localhost:11434/v1`), then
 *   `base_url` in the `[ai]` table. The variable wins: the config file is shared with the project,
 *   the variable says where *this* machine's server is.
 * - `HEARTH_AI_API_KEY`: sent as a bearer token (only from the environment: never in a config file).
 * - `[ai.models]` entries replace or add to Hearth's default model map (models.ts).
 *
 * Nothing here touches the network: an unset or unreachable server is reported when a model runs.
 */
import path from "node:path";
import type { AiBinding } from "../descriptor.js";
import { createAiApi, type Ai, type AiApiOptions } from "./api.worker.js";
import { openAiCompatibleBackend, type OpenAiCompatibleOptions } from "./drivers/openai-compatible.js";
import { DEFAULT_AI_MODELS } from "./models.js";

/** The environment variable naming the inference server's base URL. */
export const AI_BASE_URL_ENV = "HEARTH_AI_BASE_URL";

/** The environment variable holding the inference server's API key. */
export const AI_API_KEY_ENV = "HEARTH_AI_API_KEY";

/** The `[ai]` table of a wrangler config: wrangler's `binding`, plus Hearth's `base_url` and `models`. */
export interface AiConfig {
  binding: string;
  /** Hearth: the OpenAI-compatible server's base URL. */
  base_url?: string;
  /** Hearth: Workers AI model name → the server's model name. */
  models?: Record<string, string>;
}

export interface AiDescriptorOptions {
  /** Where `HEARTH_AI_*` are read from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The config file, named when the base URL comes from it. */
  configPath?: string;
}

/** The descriptor of `env.<config.binding>`, for the host to hand to isolates. */
export function aiDescriptor(config: AiConfig, options: AiDescriptorOptions = {}): AiBinding {
  const env = options.env ?? process.env;
  const descriptor: AiBinding = { kind: "ai", name: config.binding, models: { ...DEFAULT_AI_MODELS, ...(config.models ?? {}) } };
  const fromEnv = env[AI_BASE_URL_ENV]?.trim();
  const fromConfig = config.base_url?.trim();
  if (fromEnv) {
    descriptor.baseUrl = normaliseBaseUrl(fromEnv);
    descriptor.baseUrlSource = AI_BASE_URL_ENV;
  } else if (fromConfig) {
    descriptor.baseUrl = normaliseBaseUrl(fromConfig);
    descriptor.baseUrlSource = `base_url in the [ai] table of ${options.configPath ? path.basename(options.configPath) : "the config"}`;
  }
  const apiKey = env[AI_API_KEY_ENV];
  if (apiKey) descriptor.apiKey = apiKey;
  return descriptor;
}

/**
 * Without a trailing slash; a bare origin (`http://localhost:11434`) gets `/v1`, where Ollama,
 * llama.cpp, vLLM and LM Studio all serve the OpenAI API. A value that is not a URL is kept as
 * given: running a model then says so.
 */
export function normaliseBaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.pathname === "/" && url.search === "" && url.hash === "") return `${url.origin}/v1`;
  } catch {
    return value;
  }
  return value.replace(/\/+$/, "");
}

// ---------------------------------------------------------------------------------------------
// Isolate side.
// ---------------------------------------------------------------------------------------------

export interface CreateAiBindingOptions extends AiApiOptions, OpenAiCompatibleOptions {
  /** How long to wait for the server to start answering, in ms. Default: AI_UPSTREAM_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** The `Ai` object user code sees, running models on the descriptor's inference server. */
export function createAiBinding(descriptor: AiBinding, options: CreateAiBindingOptions = {}): Ai {
  const backend = openAiCompatibleBackend(
    { baseUrl: descriptor.baseUrl, baseUrlSource: descriptor.baseUrlSource, apiKey: descriptor.apiKey, models: descriptor.models, timeoutMs: options.timeoutMs },
    { fetch: options.fetch },
  );
  return createAiApi(backend, { requestId: options.requestId });
}
