import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as cloudflareAi122 from "@cloudflare/ai";
import * as cloudflareAi110 from "cloudflare-ai-1.1.0";
import { createAiApi, type Ai } from "./api.worker.js";
import type { AiBackend, EmbeddingsRequest, TextGenerationRequest } from "./backend.js";
import { aiThrow } from "./errors.js";

/** The `Ai` class of `@cloudflare/ai`, typed loosely (its own types only accept its catalog's model names). */
type WrapperAi = { run(model: string, inputs: object): Promise<unknown>; lastRequestId: string | null; getLogs(): string[] | undefined };
type WrapperClass = new (binding: unknown, options?: { debug?: boolean; prefix?: string }) => WrapperAi;
// (Their .d.ts re-export `./sdk` without an extension, which NodeNext resolution does not follow.)
const Ai110 = (cloudflareAi110 as unknown as { Ai: WrapperClass }).Ai;
const Ai122 = (cloudflareAi122 as unknown as { Ai: WrapperClass }).Ai;

const SSE = 'data: {"response":"Hel"}\n\ndata: {"response":"lo"}\n\ndata: [DONE]\n\n';

/** A backend that answers from memory and records what it was asked. */
function memoryBackend() {
  const calls: (TextGenerationRequest | EmbeddingsRequest)[] = [];
  const backend: AiBackend = {
    describe: (model) => `${model === "@cf/meta/llama-3.1-8b-instruct" ? "llama3.1:8b" : "local"} at memory`,
    async generateText(request) {
      calls.push(request);
      if (request.model === "@cf/test/missing") throw aiThrow("unmappedModel", request.model);
      return { response: `echo ${request.prompt ?? String(request.messages?.at(-1)?.content)}`, usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } };
    },
    async streamText(request) {
      calls.push(request);
      return new Response(SSE).body!;
    },
    async embed(request) {
      calls.push(request);
      return request.text.map((text, i) => [i, text.length, 0.5]);
    },
  };
  return { backend, calls };
}

function counter() {
  let n = 0;
  return () => `req-${++n}`;
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; httpCode?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; httpCode?: number };
    return { name: e.name, message: e.message, ...(e.httpCode !== undefined ? { httpCode: e.httpCode } : {}) };
  }
  assert.fail("expected a rejection");
}

const LLAMA = "@cf/meta/llama-3.1-8b-instruct";

describe("env.AI.run", () => {
  test("text generation with a prompt or messages; max_tokens defaults to 256; lastRequestId per call", async () => {
    const { backend, calls } = memoryBackend();
    const ai = createAiApi(backend, { requestId: counter() });
    assert.equal(ai.lastRequestId, null);
    assert.deepEqual(await ai.run(LLAMA, { prompt: "hi" }), { response: "echo hi", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    assert.equal(ai.lastRequestId, "req-1");
    assert.deepEqual(await ai.run(LLAMA, { messages: [{ role: "user", content: "yo" }], max_tokens: 12, temperature: 0.5 }), {
      response: "echo yo",
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    assert.equal(ai.lastRequestId, "req-2");
    assert.deepEqual(calls, [
      { model: LLAMA, raw: false, maxTokens: 256, sampling: {}, prompt: "hi" },
      { model: LLAMA, raw: false, maxTokens: 12, sampling: { temperature: 0.5 }, messages: [{ role: "user", content: "yo" }] },
    ]);
  });

  test("stream: true resolves to the backend's event stream", async () => {
    const ai = createAiApi(memoryBackend().backend);
    const stream = await ai.run(LLAMA, { prompt: "hi", stream: true });
    assert.ok(stream instanceof ReadableStream);
    assert.equal(await new Response(stream).text(), SSE);
  });

  test("embeddings: { shape, data } for a string or a list", async () => {
    const ai = createAiApi(memoryBackend().backend);
    assert.deepEqual(await ai.run("@cf/baai/bge-small-en-v1.5", { text: "abc" }), { shape: [1, 3], data: [[0, 3, 0.5]] });
    assert.deepEqual(await ai.run("@cf/baai/bge-base-en-v1.5", { text: ["a", "bb"] }), { shape: [2, 3], data: [[0, 1, 0.5], [1, 2, 0.5]] });
  });

  test("input errors are InferenceUpstreamError 5006, worded as Workers AI's schema checks", async () => {
    const ai = createAiApi(memoryBackend().backend);
    assert.deepEqual(await rejection(ai.run(LLAMA, {})), {
      name: "InferenceUpstreamError",
      message: "5006: Error: oneOf at '/' not met, 0 matches: required properties at '/' are 'prompt', required properties at '/' are 'messages'",
    });
    assert.match((await rejection(ai.run(LLAMA, { prompt: "a", messages: [] }))).message, /^5006: Error: oneOf at '\/' not met, 2 matches/);
    assert.equal((await rejection(ai.run(LLAMA, { prompt: 3 }))).message, "5006: Error: type at '/prompt' must be string");
    assert.equal((await rejection(ai.run(LLAMA, { prompt: "x", max_tokens: "many" }))).message, "5006: Error: type at '/max_tokens' must be integer");
    assert.equal((await rejection(ai.run("@cf/baai/bge-small-en-v1.5", { text: [] }))).message, "5006: Error: minItems at '/text' must NOT have fewer than 1 items");
    assert.match((await rejection(ai.run(LLAMA, { prompt: "x" }, { queueRequest: true }))).message, /^5006: Error: Hearth does not support queueRequest/);
  });

  test("unknown models and tasks Hearth cannot run are 5007 naming the model", async () => {
    const ai = createAiApi(memoryBackend().backend);
    assert.match((await rejection(ai.run("@cf/nobody/nothing", { image: [1] }))).message, /^5007: No such model @cf\/nobody\/nothing or task\. Hearth has no local model for it/);
    assert.equal(
      (await rejection(ai.run("@cf/openai/whisper", { audio: [1, 2] }))).message,
      "5007: No such model @cf/openai/whisper or task. Hearth runs text generation and text embeddings only; the task of @cf/openai/whisper is automatic-speech-recognition.",
    );
  });

  test("a backend failure is thrown as InferenceUpstreamError; lastRequestId is still set", async () => {
    const ai = createAiApi(memoryBackend().backend, { requestId: counter() });
    const error = await rejection(ai.run("@cf/test/missing", { prompt: "x" }));
    assert.equal(error.name, "InferenceUpstreamError");
    assert.match(error.message, /^5007: No such model @cf\/test\/missing or task/);
    assert.equal(ai.lastRequestId, "req-1");
  });

  test("returnRawResponse gives the service's Response; debug keeps logs for getLogs()", async () => {
    const ai = createAiApi(memoryBackend().backend, { requestId: counter() });
    const response = (await ai.run(LLAMA, { prompt: "hi" }, { returnRawResponse: true, debug: true })) as Response;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("cf-ai-req-id"), "req-1");
    assert.deepEqual(await response.json(), { response: "echo hi", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    assert.deepEqual(ai.getLogs(), [`hearth: ${LLAMA} (text-generation) runs on llama3.1:8b at memory`]);
    await ai.run(LLAMA, { prompt: "hi" });
    assert.deepEqual(ai.getLogs(), []);
  });

  test("a streamed answer that fails midway errors the stream with an InferenceUpstreamError", async () => {
    const { backend } = memoryBackend();
    backend.streamText = async () =>
      new ReadableStream({
        pull(controller) {
          controller.error(aiThrow("upstream", LLAMA, "http://127.0.0.1:1/v1", "connection reset"));
        },
      });
    const stream = (await createAiApi(backend).run(LLAMA, { prompt: "x", stream: true })) as ReadableStream;
    const error = await rejection(new Response(stream).text());
    assert.deepEqual(error, {
      name: "InferenceUpstreamError",
      message: `3043: Internal server error: the inference server at http://127.0.0.1:1/v1 failed to run ${LLAMA}: connection reset`,
    });
  });

  test("methods of the binding Hearth lacks say so", () => {
    const ai = createAiApi(memoryBackend().backend) as Ai & { gateway(id: string): unknown };
    assert.throws(() => ai.gateway("g"), /Hearth does not support env\.AI\.gateway\(\) yet/);
  });
});

describe("env.AI.fetch: the wire form of workerd's shim (version 3) and @cloudflare/ai 1.1.0 (version 2)", () => {
  const post = (ai: Ai, version: string, model: string | null, body: unknown) =>
    ai.fetch(`http://workers-binding.ai/run?version=${version}`, {
      method: "POST",
      headers: model === null ? {} : { "cf-consn-model-id": model },
      body: JSON.stringify(body),
    });

  test("version 3: JSON answers as is, errors as { internalCode, name, description }", async () => {
    const ai = createAiApi(memoryBackend().backend, { requestId: counter() });
    const ok = await post(ai, "3", LLAMA, { inputs: { prompt: "hi" }, options: {} });
    assert.equal(ok.headers.get("cf-ai-req-id"), "req-1");
    assert.equal(ok.headers.get("content-type"), "application/json");
    assert.deepEqual(await ok.json(), { response: "echo hi", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    const failed = await post(ai, "3", "@cf/openai/whisper", { inputs: { audio: [] } });
    assert.equal(failed.status, 400);
    assert.deepEqual(await failed.json(), {
      internalCode: 5007,
      name: "InferenceUpstreamError",
      description: "No such model @cf/openai/whisper or task. Hearth runs text generation and text embeddings only; the task of @cf/openai/whisper is automatic-speech-recognition.",
    });
    const noModel = await post(ai, "3", null, { inputs: {} });
    assert.equal(noModel.status, 400);
    assert.equal(((await noModel.json()) as { internalCode: number }).internalCode, 3003);
    assert.equal((await ai.fetch("http://workers-binding.ai/other")).status, 404);
  });

  test("version 2: gzip-compressed JSON, raw event streams, plain-text errors, cf-ai-logs with debug; a prefix is stripped", async () => {
    const ai = createAiApi(memoryBackend().backend, { requestId: counter() });
    const ok = await post(ai, "2", `acct:${LLAMA}`, { inputs: { prompt: "hi" }, options: { debug: true } });
    assert.equal(ok.headers.get("content-type"), "application/json");
    const json = await new Response(ok.body!.pipeThrough(new DecompressionStream("gzip"))).json();
    assert.deepEqual(json, { response: "echo hi", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    assert.deepEqual(JSON.parse(atob(ok.headers.get("cf-ai-logs")!)), [`hearth: ${LLAMA} (text-generation) runs on llama3.1:8b at memory`]);
    const stream = await post(ai, "2", LLAMA, { inputs: { prompt: "hi", stream: true } });
    assert.equal(stream.headers.get("content-type"), "text/event-stream");
    assert.equal(await stream.text(), SSE);
    const failed = await post(ai, "2", LLAMA, { inputs: {} });
    assert.equal(failed.status, 400);
    assert.match(await failed.text(), /^5006: Error: oneOf/);
  });
});

describe("new Ai(env.AI) from @cloudflare/ai", () => {
  for (const [version, Wrapper] of [
    ["1.1.0 (binding.fetch, /run?version=2)", Ai110],
    ["1.2.2 (binding.run)", Ai122],
  ] as const) {
    test(`${version}: run, stream, lastRequestId, getLogs, errors`, async () => {
      const binding = createAiApi(memoryBackend().backend, { requestId: counter() });
      const ai = new Wrapper(binding, { debug: true });
      assert.deepEqual(await ai.run(LLAMA, { prompt: "hi" }), { response: "echo hi", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
      assert.equal(ai.lastRequestId, "req-1");
      assert.deepEqual(ai.getLogs(), [`hearth: ${LLAMA} (text-generation) runs on llama3.1:8b at memory`]);
      assert.deepEqual(await ai.run("@cf/baai/bge-small-en-v1.5", { text: ["ab"] }), { shape: [1, 3], data: [[0, 2, 0.5]] });
      const stream = (await ai.run(LLAMA, { prompt: "hi", stream: true })) as ReadableStream<Uint8Array>;
      assert.equal(await new Response(stream).text(), SSE);
      const error = await rejection(ai.run("@cf/openai/whisper", { audio: [] }));
      assert.equal(error.name, "InferenceUpstreamError");
      assert.match(error.message, /^5007: No such model @cf\/openai\/whisper or task/);
      // 1.1.0 reads cf-ai-req-id before it throws; 1.2.2 copies binding.lastRequestId only after a success.
      assert.equal(version.startsWith("1.1.0") ? ai.lastRequestId : binding.lastRequestId, "req-4");
    });
  }

  test("the wrapper refuses a missing binding", () => {
    assert.throws(() => new Ai122(undefined), /Ai binding is undefined\. Please provide a valid binding\./);
  });
});
