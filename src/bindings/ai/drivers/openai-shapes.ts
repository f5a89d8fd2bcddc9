/**
 * Workers AI requests → OpenAI API request bodies, and OpenAI answers → Workers AI outputs
 * (https://platform.openai.com/docs/api-reference/chat, `/completions`, `/embeddings`), as plain
 * data so they can be tested without a server.
 *
 * Pure module.
 */
import type { AiToolCall, AiUsage, TextGenerationOutput, TextGenerationRequest } from "../backend.js";

/** True when the tools were given in Workers AI's legacy form `{ name, description, parameters }`. */
export function hasLegacyTools(tools: readonly Record<string, unknown>[] | undefined): boolean {
  return (tools ?? []).some((tool) => tool["function"] === undefined);
}

/** The body of a `/chat/completions` (or, for `raw`, `/completions`) request. */
export function textGenerationBody(request: TextGenerationRequest, localModel: string, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model: localModel };
  if (request.raw) body["prompt"] = request.prompt ?? "";
  else body["messages"] = request.messages ?? [{ role: "user", content: request.prompt ?? "" }];
  body["max_tokens"] = request.maxTokens;
  for (const [key, value] of Object.entries(request.sampling)) if (value !== undefined) body[key] = value;
  if (!request.raw) {
    if (request.responseFormat) body["response_format"] = responseFormat(request.responseFormat);
    if (request.tools && request.tools.length > 0) body["tools"] = request.tools.map(openAiTool);
  }
  body["stream"] = stream;
  if (stream) body["stream_options"] = { include_usage: true };
  return body;
}

/** Workers AI's `{ type: "json_schema", json_schema: <schema> }` → OpenAI's `{ type, json_schema: { name, schema } }`. */
function responseFormat(format: { type: string; json_schema?: unknown }): Record<string, unknown> {
  if (format.type !== "json_schema" || format.json_schema === undefined) return { type: format.type };
  const given = format.json_schema as Record<string, unknown>;
  if (given !== null && typeof given === "object" && "schema" in given && "name" in given) return { type: "json_schema", json_schema: given };
  return { type: "json_schema", json_schema: { name: "response", schema: given } };
}

function openAiTool(tool: Record<string, unknown>): Record<string, unknown> {
  if (tool["function"] !== undefined) return { type: tool["type"] ?? "function", function: tool["function"] };
  const fn: Record<string, unknown> = { name: tool["name"] };
  if (tool["description"] !== undefined) fn["description"] = tool["description"];
  if (tool["parameters"] !== undefined) fn["parameters"] = tool["parameters"];
  return { type: "function", function: fn };
}

/** Workers AI's `usage` from an OpenAI `usage` object, or undefined when it has none. */
export function usageOf(value: unknown): AiUsage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const usage = value as Record<string, unknown>;
  const prompt = typeof usage["prompt_tokens"] === "number" ? usage["prompt_tokens"] : 0;
  const completion = typeof usage["completion_tokens"] === "number" ? usage["completion_tokens"] : 0;
  const total = typeof usage["total_tokens"] === "number" ? usage["total_tokens"] : prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

/** OpenAI tool calls → Workers AI's: `{ name, arguments: <parsed> }` for legacy tools, else OpenAI's own form. */
export function toolCallsOf(calls: readonly unknown[], legacy: boolean): AiToolCall[] {
  return calls.map((raw, i) => {
    const call = (raw ?? {}) as Record<string, unknown>;
    const fn = (call["function"] ?? {}) as Record<string, unknown>;
    const name = typeof fn["name"] === "string" ? fn["name"] : "";
    const args = typeof fn["arguments"] === "string" ? fn["arguments"] : JSON.stringify(fn["arguments"] ?? {});
    if (legacy) return { name, arguments: parseArguments(args) };
    return { id: typeof call["id"] === "string" && call["id"] !== "" ? call["id"] : `call_${i}`, type: "function", function: { name, arguments: args } };
  });
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The Workers AI output of a non-streamed answer; `undefined` when the body is not an OpenAI answer. */
export function textGenerationOutput(body: unknown, kind: "chat" | "completion", legacyTools: boolean): TextGenerationOutput | undefined {
  const choices = (body as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices) || typeof choices[0] !== "object" || choices[0] === null) return undefined;
  const choice = choices[0] as Record<string, unknown>;
  const output: TextGenerationOutput = { response: "" };
  if (kind === "completion") {
    if (typeof choice["text"] !== "string") return undefined;
    output.response = choice["text"];
  } else {
    const message = choice["message"] as Record<string, unknown> | undefined;
    if (typeof message !== "object" || message === null) return undefined;
    output.response = typeof message["content"] === "string" ? message["content"] : "";
    if (Array.isArray(message["tool_calls"]) && message["tool_calls"].length > 0) output.tool_calls = toolCallsOf(message["tool_calls"], legacyTools);
  }
  const usage = usageOf((body as { usage?: unknown }).usage);
  if (usage) output.usage = usage;
  return output;
}

/** The vectors of an OpenAI `/embeddings` answer, in input order; `undefined` when the body is not one. */
export function embeddingVectors(body: unknown, count: number): number[][] | undefined {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== count) return undefined;
  const vectors: number[][] = new Array<number[]>(count);
  for (const [position, raw] of data.entries()) {
    const item = (raw ?? {}) as Record<string, unknown>;
    const index = typeof item["index"] === "number" ? item["index"] : position;
    const embedding = item["embedding"];
    if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === "number") || index < 0 || index >= count) return undefined;
    vectors[index] = embedding as number[];
  }
  for (let i = 0; i < count; i++) if (vectors[i] === undefined) return undefined; // `every` would skip holes
  return vectors;
}

/** The human part of an error answer: OpenAI's `{ error: { message } }`, Ollama's `{ error: "…" }`, or the text. */
export function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = body.error;
    if (typeof error === "string") return error;
    const message = (error as { message?: unknown } | null)?.message;
    if (typeof message === "string") return message;
    if (typeof body.message === "string") return body.message;
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // Not JSON: the text itself.
  }
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
