import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { freePort } from "../../../../test/helpers/dev-server.js";
import { startOpenAiServer, type OpenAiServer } from "../../../../test/helpers/openai-server.js";
import type { AiBackend, TextGenerationRequest } from "../backend.js";
import { failureOf } from "../errors.js";
import { DEFAULT_AI_MODELS } from "../models.js";
import { openAiCompatibleBackend } from "./openai-compatible.js";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct";

const generation = (overrides: Partial<TextGenerationRequest> = {}): TextGenerationRequest => ({
  model: LLAMA,
  raw: false,
  maxTokens: 256,
  sampling: {},
  ...overrides,
});

/** The failure a rejected promise carries, as `<code>: <description>`. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const f = failureOf(error);
    assert.ok(f, `expected an AI failure, got ${String(error)}`);
    return `${f.internalCode}: ${f.description}`;
  }
  assert.fail("expected a failure");
}

describe("the OpenAI-compatible backend, against a real server process", () => {
  let server: OpenAiServer;
  let backend: AiBackend;
  before(async () => {
    server = await startOpenAiServer();
    backend = openAiCompatibleBackend({ baseUrl: server.baseUrl, models: { ...DEFAULT_AI_MODELS, "@cf/test/missing": "missing:1b", "@cf/test/crash": "crash:1b" } });
  });
  after(() => server?.stop());

  test("generateText: chat completion with the local model name, max_tokens and usage", async () => {
    const output = await backend.generateText(generation({ prompt: "hi there" }));
    assert.deepEqual(output, {
      response: "Hello from llama3.1:8b! You said: hi there",
      usage: { prompt_tokens: 2, completion_tokens: 7, total_tokens: 9 },
    });
    const sent = await server.lastRequest();
    assert.equal(sent.path, "/v1/chat/completions");
    assert.deepEqual(sent.body, { model: "llama3.1:8b", messages: [{ role: "user", content: "hi there" }], max_tokens: 256, stream: false });
  });

  test("generateText: raw prompts use /v1/completions", async () => {
    const output = await backend.generateText(generation({ prompt: "Once", raw: true, maxTokens: 3 }));
    assert.equal(output.response, "Completion from llama3.1:8b: ");
    assert.equal((await server.lastRequest()).path, "/v1/completions");
  });

  test("streamText: Workers AI events, converted from the server's chunks", async () => {
    const stream = await backend.streamText(generation({ messages: [{ role: "user", content: "yo" }], maxTokens: 3 }));
    assert.equal(
      await new Response(stream).text(),
      'data: {"response":"Hello "}\n\ndata: {"response":"from "}\n\ndata: {"response":"llama3.1:8b! "}\n\n' +
        'data: {"response":"","usage":{"prompt_tokens":1,"completion_tokens":3,"total_tokens":4}}\n\ndata: [DONE]\n\n',
    );
  });

  test("embed: one vector per text, of the model's size", async () => {
    const small = await backend.embed({ model: "@cf/baai/bge-small-en-v1.5", text: ["a", "b"] });
    assert.deepEqual(small.map((v) => v.length), [384, 384]);
    const base = await backend.embed({ model: "@cf/baai/bge-base-en-v1.5", text: ["a"] });
    assert.equal(base[0]!.length, 768);
    assert.deepEqual((await server.lastRequest()).body, { model: "bge-base-en-v1.5", input: ["a"] });
  });

  test("a model the map lacks, one the server lacks, and one that crashes give Workers AI errors", async () => {
    assert.match(await failure(backend.generateText(generation({ model: "@cf/test/unknown", prompt: "x" }))), /^5007: No such model @cf\/test\/unknown or task\. .*\[ai\.models\]/);
    assert.match(
      await failure(backend.generateText(generation({ model: "@cf/test/missing", prompt: "x" }))),
      /^5007: No such model @cf\/test\/missing or task\. The inference server at http:\/\/127\.0\.0\.1:\d+\/v1 has no model "missing:1b" \(model "missing:1b" not found, try pulling it first\)/,
    );
    assert.match(await failure(backend.generateText(generation({ model: "@cf/test/crash", prompt: "x" }))), /^3043: Internal server error: .* failed to run @cf\/test\/crash: 500 Internal Server Error: llama runner process has terminated/);
  });

  test("the API key goes as a bearer token", async () => {
    const guarded = await startOpenAiServer(["--api-key", "sk-test"]);
    try {
      const settings = { baseUrl: guarded.baseUrl, models: DEFAULT_AI_MODELS };
      assert.match(await failure(openAiCompatibleBackend(settings).generateText(generation({ prompt: "x" }))), /^3043: .*401 Unauthorized: Incorrect API key provided/);
      const output = await openAiCompatibleBackend({ ...settings, apiKey: "sk-test" }).generateText(generation({ prompt: "x" }));
      assert.match(output.response, /^Hello from/);
      assert.equal((await guarded.lastRequest()).authorization, "Bearer sk-test");
    } finally {
      await guarded.stop();
    }
  });
});

describe("the OpenAI-compatible backend without a working server", () => {
  test("no base URL: 3040 naming the model and the settings to change", async () => {
    const message = await failure(openAiCompatibleBackend({ models: DEFAULT_AI_MODELS }).generateText(generation({ prompt: "x" })));
    assert.equal(
      message,
      "3040: No inference server is configured to run @cf/meta/llama-3.1-8b-instruct. Hearth runs Workers AI models on an OpenAI-compatible server you run (Ollama, llama.cpp, vLLM, LM Studio): set HEARTH_AI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) or base_url in the [ai] table of your wrangler config.",
    );
  });

  test("a base URL that is not a URL", async () => {
    const message = await failure(openAiCompatibleBackend({ baseUrl: "localhost:11434", baseUrlSource: "HEARTH_AI_BASE_URL", models: DEFAULT_AI_MODELS }).embed({ model: "@cf/baai/bge-small-en-v1.5", text: ["x"] }));
    assert.match(message, /^3040: The inference server address "localhost:11434" from HEARTH_AI_BASE_URL is not a valid URL/);
  });

  test("a server that is down: 3040 with the connection error and where the address came from", async () => {
    const port = await freePort();
    const backend = openAiCompatibleBackend({ baseUrl: `http://127.0.0.1:${port}/v1`, baseUrlSource: "HEARTH_AI_BASE_URL", models: DEFAULT_AI_MODELS });
    assert.match(
      await failure(backend.streamText(generation({ prompt: "x" }))),
      new RegExp(`^3040: Could not reach the inference server at http://127\\.0\\.0\\.1:${port}/v1 \\(from HEARTH_AI_BASE_URL\\) to run @cf/meta/llama-3\\.1-8b-instruct: .*ECONNREFUSED.*Start the server`),
    );
  });

  test("a server that never answers: 3007 after the timeout; an aborted signal: 3008", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const backend = openAiCompatibleBackend({ baseUrl: `http://127.0.0.1:${port}/v1`, models: DEFAULT_AI_MODELS, timeoutMs: 200 });
      assert.match(await failure(backend.generateText(generation({ prompt: "x" }))), /^3007: Request timeout: .* did not answer within 200 ms/);
      const controller = new AbortController();
      const pending = backend.generateText(generation({ prompt: "x" }), controller.signal);
      controller.abort();
      assert.equal(await failure(pending), "3008: Request was aborted");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
