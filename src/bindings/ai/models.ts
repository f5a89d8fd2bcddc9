/**
 * Which Workers AI models Hearth knows: the task of each (what inputs it takes, what it returns)
 * and the default local model it runs on. The defaults are Ollama's names
 * (https://ollama.com/library), the server most people run; every entry can be replaced, and
 * models added, with `[ai.models]` in the wrangler config.
 *
 * Pure module: imported from the Worker realm and from Node code alike.
 */

/** The Workers AI tasks Hearth can run on an OpenAI-compatible server. */
export type AiSupportedTask = "text-generation" | "text-embeddings";

/** Tasks of Workers AI models Hearth cannot run (they need other kinds of servers). */
export type AiUnsupportedTask =
  | "text-classification"
  | "text-to-image"
  | "automatic-speech-recognition"
  | "text-to-speech"
  | "translation"
  | "summarization"
  | "image-classification"
  | "object-detection"
  | "image-to-text";

export type AiTask = AiSupportedTask | AiUnsupportedTask;

/** Text-generation models and the Ollama model each runs on by default. */
const TEXT_GENERATION: Record<string, string> = {
  "@cf/meta/llama-2-7b-chat-int8": "llama2:7b",
  "@cf/meta/llama-2-7b-chat-fp16": "llama2:7b",
  "@cf/meta/llama-3-8b-instruct": "llama3:8b",
  "@cf/meta/llama-3-8b-instruct-awq": "llama3:8b",
  "@hf/meta-llama/meta-llama-3-8b-instruct": "llama3:8b",
  "@cf/meta/llama-3.1-8b-instruct": "llama3.1:8b",
  "@cf/meta/llama-3.1-8b-instruct-fp8": "llama3.1:8b",
  "@cf/meta/llama-3.1-8b-instruct-awq": "llama3.1:8b",
  "@cf/meta/llama-3.1-8b-instruct-fast": "llama3.1:8b",
  "@cf/meta/llama-3.1-70b-instruct": "llama3.1:70b",
  "@cf/meta/llama-3.2-1b-instruct": "llama3.2:1b",
  "@cf/meta/llama-3.2-3b-instruct": "llama3.2:3b",
  "@cf/meta/llama-3.2-11b-vision-instruct": "llama3.2-vision:11b",
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": "llama3.3:70b",
  "@cf/meta/llama-4-scout-17b-16e-instruct": "llama4:scout",
  "@cf/meta/llama-guard-3-8b": "llama-guard3:8b",
  "@cf/mistral/mistral-7b-instruct-v0.1": "mistral:7b",
  "@hf/mistral/mistral-7b-instruct-v0.2": "mistral:7b",
  "@cf/mistralai/mistral-small-3.1-24b-instruct": "mistral-small3.1:24b",
  "@cf/google/gemma-3-12b-it": "gemma3:12b",
  "@hf/google/gemma-7b-it": "gemma:7b",
  "@cf/qwen/qwen1.5-7b-chat-awq": "qwen:7b",
  "@cf/qwen/qwen1.5-14b-chat-awq": "qwen:14b",
  "@cf/qwen/qwen2.5-coder-32b-instruct": "qwen2.5-coder:32b",
  "@cf/qwen/qwq-32b": "qwq:32b",
  "@cf/qwen/qwen3-30b-a3b-fp8": "qwen3:30b-a3b",
  "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b": "deepseek-r1:32b",
  "@cf/microsoft/phi-2": "phi:2.7b",
  "@cf/tinyllama/tinyllama-1.1b-chat-v1.0": "tinyllama:1.1b",
  "@cf/openai/gpt-oss-20b": "gpt-oss:20b",
  "@cf/openai/gpt-oss-120b": "gpt-oss:120b",
};

/**
 * Embedding models and their default local model. Ollama's library has `bge-large`, `bge-m3`,
 * `embeddinggemma` and `qwen3-embedding`; the small and base BGE models go by their Hugging Face
 * names (import them into Ollama under that name, or map them to what your server has).
 */
const TEXT_EMBEDDINGS: Record<string, string> = {
  "@cf/baai/bge-small-en-v1.5": "bge-small-en-v1.5",
  "@cf/baai/bge-base-en-v1.5": "bge-base-en-v1.5",
  "@cf/baai/bge-large-en-v1.5": "bge-large",
  "@cf/baai/bge-m3": "bge-m3",
  "@cf/google/embeddinggemma-300m": "embeddinggemma",
  "@cf/qwen/qwen3-embedding-0.6b": "qwen3-embedding:0.6b",
};

/** Well-known models of tasks Hearth cannot run, so that their error names the task. */
const UNSUPPORTED: Record<string, AiUnsupportedTask> = {
  "@cf/huggingface/distilbert-sst-2-int8": "text-classification",
  "@cf/baai/bge-reranker-base": "text-classification",
  "@cf/stabilityai/stable-diffusion-xl-base-1.0": "text-to-image",
  "@cf/bytedance/stable-diffusion-xl-lightning": "text-to-image",
  "@cf/lykon/dreamshaper-8-lcm": "text-to-image",
  "@cf/black-forest-labs/flux-1-schnell": "text-to-image",
  "@cf/openai/whisper": "automatic-speech-recognition",
  "@cf/openai/whisper-tiny-en": "automatic-speech-recognition",
  "@cf/openai/whisper-large-v3-turbo": "automatic-speech-recognition",
  "@cf/myshell-ai/melotts": "text-to-speech",
  "@cf/meta/m2m100-1.2b": "translation",
  "@cf/facebook/bart-large-cnn": "summarization",
  "@cf/microsoft/resnet-50": "image-classification",
  "@cf/facebook/detr-resnet-50": "object-detection",
  "@cf/llava-hf/llava-1.5-7b-hf": "image-to-text",
  "@cf/unum/uform-gen2-qwen-500m": "image-to-text",
};

/** `@cf` name → local model name, before the config's `[ai.models]` is applied. */
export const DEFAULT_AI_MODELS: Readonly<Record<string, string>> = Object.freeze({ ...TEXT_GENERATION, ...TEXT_EMBEDDINGS });

/**
 * The task of `model`: from the table of known models, else (a model the user mapped) from the
 * shape of the inputs: `prompt` or `messages` → text generation, `text` → embeddings.
 */
export function taskOf(model: string, inputs: Record<string, unknown>): AiTask | undefined {
  if (Object.hasOwn(TEXT_GENERATION, model)) return "text-generation";
  if (Object.hasOwn(TEXT_EMBEDDINGS, model)) return "text-embeddings";
  if (Object.hasOwn(UNSUPPORTED, model)) return UNSUPPORTED[model];
  if ("prompt" in inputs || "messages" in inputs) return "text-generation";
  if ("text" in inputs) return "text-embeddings";
  return undefined;
}

export function isSupportedTask(task: AiTask): task is AiSupportedTask {
  return task === "text-generation" || task === "text-embeddings";
}
