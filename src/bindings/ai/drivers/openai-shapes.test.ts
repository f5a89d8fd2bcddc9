import assert from "node:assert/strict";
import { test } from "node:test";
import type { TextGenerationRequest } from "../backend.js";
import { embeddingVectors, errorDetail, hasLegacyTools, textGenerationBody, textGenerationOutput, toolCallsOf } from "./openai-shapes.js";

const request = (overrides: Partial<TextGenerationRequest> = {}): TextGenerationRequest => ({
  model: "@cf/meta/llama-3.1-8b-instruct",
  raw: false,
  maxTokens: 256,
  sampling: {},
  ...overrides,
});

test("a prompt becomes one user message; max_tokens and sampling go along; stream asks for usage", () => {
  assert.deepEqual(textGenerationBody(request({ prompt: "hi", sampling: { temperature: 0.2, top_k: 5 } }), "llama3.1:8b", true), {
    model: "llama3.1:8b",
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 256,
    temperature: 0.2,
    top_k: 5,
    stream: true,
    stream_options: { include_usage: true },
  });
});

test("raw prompts go to /completions as is; messages pass through", () => {
  assert.deepEqual(textGenerationBody(request({ prompt: "<s>[INST] hi", raw: true, maxTokens: 9 }), "m", false), {
    model: "m",
    prompt: "<s>[INST] hi",
    max_tokens: 9,
    stream: false,
  });
  const messages = [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }];
  assert.deepEqual(textGenerationBody(request({ messages }), "m", false)["messages"], messages);
});

test("response_format and tools take OpenAI's form", () => {
  const schema = { type: "object", properties: { a: { type: "string" } } };
  const body = textGenerationBody(
    request({
      prompt: "x",
      responseFormat: { type: "json_schema", json_schema: schema },
      tools: [{ name: "get_weather", description: "Weather", parameters: { type: "object", properties: {}, required: [] } }, { type: "function", function: { name: "f" } }],
    }),
    "m",
    false,
  );
  assert.deepEqual(body["response_format"], { type: "json_schema", json_schema: { name: "response", schema } });
  assert.deepEqual(body["tools"], [
    { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: {}, required: [] } } },
    { type: "function", function: { name: "f" } },
  ]);
  assert.equal(hasLegacyTools([{ name: "x" }]), true);
  assert.equal(hasLegacyTools([{ type: "function", function: {} }]), false);
});

test("answers become Workers AI outputs: response, tool_calls, usage", () => {
  assert.deepEqual(
    textGenerationOutput({ choices: [{ message: { content: "Hi" } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }, "chat", false),
    { response: "Hi", usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
  );
  const calls = [{ id: "c1", type: "function", function: { name: "w", arguments: '{"a":1}' } }];
  assert.deepEqual(textGenerationOutput({ choices: [{ message: { content: null, tool_calls: calls } }] }, "chat", true), {
    response: "",
    tool_calls: [{ name: "w", arguments: { a: 1 } }],
  });
  assert.deepEqual(toolCallsOf(calls, false), [{ id: "c1", type: "function", function: { name: "w", arguments: '{"a":1}' } }]);
  assert.deepEqual(textGenerationOutput({ choices: [{ text: "t" }] }, "completion", false), { response: "t" });
  assert.equal(textGenerationOutput({ nope: true }, "chat", false), undefined);
});

test("embedding answers are put in input order and checked", () => {
  const data = [
    { index: 1, embedding: [3, 4] },
    { index: 0, embedding: [1, 2] },
  ];
  assert.deepEqual(embeddingVectors({ data }, 2), [[1, 2], [3, 4]]);
  assert.equal(embeddingVectors({ data }, 3), undefined);
  assert.equal(embeddingVectors({ data: [{ index: 1, embedding: [1] }, { index: 1, embedding: [2] }] }, 2), undefined);
  assert.equal(embeddingVectors({ data: [{ embedding: ["x"] }] }, 1), undefined);
});

test("error details from OpenAI, Ollama, vLLM and plain-text answers", () => {
  assert.equal(errorDetail('{"error":{"message":"model \\"x\\" not found"}}'), 'model "x" not found');
  assert.equal(errorDetail('{"error":"model not found"}'), "model not found");
  assert.equal(errorDetail('{"message":"bad","object":"error"}'), "bad");
  assert.equal(errorDetail("  Bad Gateway \n"), "Bad Gateway");
});
