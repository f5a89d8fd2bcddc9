/**
 * Workers AI: the folder's only public entry. Other folders import from here, never deeper.
 * index.test.ts pins this list.
 */
export { AI_API_KEY_ENV, AI_BASE_URL_ENV, aiDescriptor, createAiBinding, normaliseBaseUrl } from "./binding.js";
export type { AiConfig, AiDescriptorOptions, CreateAiBindingOptions } from "./binding.js";
export { createAiApi } from "./api.worker.js";
export type { Ai, AiApiOptions, AiRunOptions } from "./api.worker.js";
export type {
  AiBackend,
  AiChatMessage,
  AiSampling,
  AiToolCall,
  AiUsage,
  EmbeddingsRequest,
  TextGenerationOutput,
  TextGenerationRequest,
} from "./backend.js";
export { openAiCompatibleBackend } from "./drivers/openai-compatible.js";
export type { OpenAiCompatibleOptions, OpenAiCompatibleSettings } from "./drivers/openai-compatible.js";
export { aiFailure, aiFailureError, failureOf, InferenceUpstreamError, inferenceUpstreamError } from "./errors.js";
export type { AiFailure, AiFailureError, AiFailureKind } from "./errors.js";
export { DEFAULT_AI_MODELS, isSupportedTask, taskOf } from "./models.js";
export type { AiSupportedTask, AiTask, AiUnsupportedTask } from "./models.js";
export { AI_BINDING_DOCS_URL, AI_BINDING_HOST, AI_DEFAULT_MAX_TOKENS, AI_ERRORS_DOCS_URL, AI_UPSTREAM_TIMEOUT_MS } from "./limits.js";
