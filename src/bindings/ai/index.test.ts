import assert from "node:assert/strict";
import { it } from "node:test";
import * as ai from "./index.js";

it("src/bindings/ai/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(ai).sort(), [
    "AI_API_KEY_ENV",
    "AI_BASE_URL_ENV",
    "AI_BINDING_DOCS_URL",
    "AI_BINDING_HOST",
    "AI_DEFAULT_MAX_TOKENS",
    "AI_ERRORS_DOCS_URL",
    "AI_UPSTREAM_TIMEOUT_MS",
    "DEFAULT_AI_MODELS",
    "InferenceUpstreamError",
    "aiDescriptor",
    "aiFailure",
    "aiFailureError",
    "createAiApi",
    "createAiBinding",
    "failureOf",
    "inferenceUpstreamError",
    "isSupportedTask",
    "normaliseBaseUrl",
    "openAiCompatibleBackend",
    "taskOf",
  ]);
});
