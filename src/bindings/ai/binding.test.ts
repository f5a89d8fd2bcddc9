import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startOpenAiServer, type OpenAiServer } from "../../../test/helpers/openai-server.js";
import { aiDescriptor, createAiBinding, normaliseBaseUrl } from "./binding.js";
import { DEFAULT_AI_MODELS } from "./models.js";

describe("aiDescriptor: where the settings come from", () => {
  test("no setting anywhere: a binding without a server (it still starts)", () => {
    assert.deepEqual(aiDescriptor({ binding: "AI" }, { env: {} }), { kind: "ai", name: "AI", models: { ...DEFAULT_AI_MODELS } });
  });

  test("HEARTH_AI_BASE_URL wins over [ai] base_url; HEARTH_AI_API_KEY is read from the environment only", () => {
    const config = { binding: "AI", base_url: "http://gpu-box:8000/v1" };
    assert.deepEqual(aiDescriptor(config, { env: {}, configPath: "/p/wrangler.jsonc" }), {
      kind: "ai",
      name: "AI",
      models: { ...DEFAULT_AI_MODELS },
      baseUrl: "http://gpu-box:8000/v1",
      baseUrlSource: "base_url in the [ai] table of wrangler.jsonc",
    });
    const fromEnv = aiDescriptor(config, { env: { HEARTH_AI_BASE_URL: " http://127.0.0.1:11434/v1/ ", HEARTH_AI_API_KEY: "k" } });
    assert.equal(fromEnv.baseUrl, "http://127.0.0.1:11434/v1");
    assert.equal(fromEnv.baseUrlSource, "HEARTH_AI_BASE_URL");
    assert.equal(fromEnv.apiKey, "k");
    assert.equal(aiDescriptor(config, { env: { HEARTH_AI_BASE_URL: "" } }).baseUrl, "http://gpu-box:8000/v1");
  });

  test("[ai.models] replaces and adds to the defaults", () => {
    const { models } = aiDescriptor({ binding: "AI", models: { "@cf/meta/llama-3.1-8b-instruct": "qwen2.5:0.5b", "@cf/me/mine": "mine:1b" } }, { env: {} });
    assert.equal(models["@cf/meta/llama-3.1-8b-instruct"], "qwen2.5:0.5b");
    assert.equal(models["@cf/me/mine"], "mine:1b");
    assert.equal(models["@cf/mistral/mistral-7b-instruct-v0.1"], "mistral:7b");
  });

  test("base URLs: a bare origin gets /v1, trailing slashes go, anything else is kept", () => {
    assert.equal(normaliseBaseUrl("http://localhost:11434"), "http://localhost:11434/v1");
    assert.equal(normaliseBaseUrl("http://localhost:8080/"), "http://localhost:8080/v1");
    assert.equal(normaliseBaseUrl("http://localhost:1234/v1//"), "http://localhost:1234/v1");
    assert.equal(normaliseBaseUrl("https://proxy.example/openai/v1"), "https://proxy.example/openai/v1");
    assert.equal(normaliseBaseUrl("localhost:11434"), "localhost:11434");
  });
});

describe("createAiBinding against a real OpenAI-compatible server process", () => {
  let server: OpenAiServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server?.stop());

  test("run: prompt, messages, stream and embeddings through the descriptor's server and map", async () => {
    const ai = createAiBinding(aiDescriptor({ binding: "AI", models: { "@cf/me/tiny": "tinyllama:1.1b" } }, { env: { HEARTH_AI_BASE_URL: server.origin } }));
    assert.deepEqual(await ai.run("@cf/meta/llama-3.1-8b-instruct", { prompt: "hi" }), {
      response: "Hello from llama3.1:8b! You said: hi",
      usage: { prompt_tokens: 1, completion_tokens: 6, total_tokens: 7 },
    });
    assert.equal(((await ai.run("@cf/me/tiny", { messages: [{ role: "user", content: "x" }] })) as { response: string }).response, "Hello from tinyllama:1.1b! You said: x");
    const stream = (await ai.run("@cf/mistral/mistral-7b-instruct-v0.1", { prompt: "a b", stream: true, max_tokens: 2 })) as ReadableStream<Uint8Array>;
    assert.equal(
      await new Response(stream).text(),
      'data: {"response":"Hello "}\n\ndata: {"response":"from "}\n\ndata: {"response":"","usage":{"prompt_tokens":2,"completion_tokens":2,"total_tokens":4}}\n\ndata: [DONE]\n\n',
    );
    const embedded = (await ai.run("@cf/baai/bge-large-en-v1.5", { text: ["one", "two", "three"] })) as { shape: number[]; data: number[][] };
    assert.deepEqual(embedded.shape, [3, 1024]);
    assert.equal(typeof ai.lastRequestId, "string");
    assert.equal(ai.lastRequestId!.length, 36);
  });
});
