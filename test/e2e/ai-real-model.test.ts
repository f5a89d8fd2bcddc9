/**
 * env.AI on a real model runtime: llama.cpp (node-llama-cpp's prebuilt CPU binary) serving a tiny
 * random llama model that test/fixtures/tiny-llama-gguf.mjs writes, behind
 * test/fixtures/llama-cpp-server.mjs's OpenAI-compatible API. The model's text is gibberish, so
 * these tests check shapes, token counts and determinism (greedy decoding), not words.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { startLlamaCppServer, type LlamaCppServer } from "../helpers/llama-cpp-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const worker = `
async function outcome(fn) {
  try { return { value: await fn() }; } catch (e) { return { name: e.name, message: e.message }; }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const q = url.searchParams;
    const max_tokens = Number(q.get("max") ?? 16);
    const prompt = q.get("p") ?? "Hello, what is Hearth?";
    switch (url.pathname) {
      case "/prompt":
        return Response.json(await env.AI.run("@cf/meta/llama-3.1-8b-instruct", { prompt, max_tokens }));
      case "/messages":
        return Response.json(await env.AI.run("@cf/hearth/tiny-llama", {
          messages: [{ role: "system", content: "Be brief." }, { role: "user", content: prompt }],
          max_tokens,
        }));
      case "/raw":
        return Response.json(await env.AI.run("@cf/meta/llama-3.1-8b-instruct", { prompt, raw: true, max_tokens }));
      case "/stream": {
        const stream = await env.AI.run("@cf/meta/llama-3.1-8b-instruct", { prompt, stream: true, max_tokens });
        return new Response(stream, { headers: { "content-type": "text/event-stream" } });
      }
      case "/embed":
        return Response.json(await env.AI.run("@cf/baai/bge-small-en-v1.5", { text: ["first", "second", "first"] }));
      case "/missing":
        return Response.json(await outcome(() => env.AI.run("@cf/hearth/missing", { prompt: "x" })));
    }
    return new Response("not found", { status: 404 });
  },
};
`;

interface TextOutput {
  response: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** The tiny model never picks end-of-sequence and answers in printable ASCII. */
const PRINTABLE = /^[\x20-\x7e]+$/;

describe("env.AI on a real model runtime (llama.cpp via node-llama-cpp, a tiny generated model)", () => {
  let dir: string;
  let server: LlamaCppServer;
  let dev: DevServer;
  before(async () => {
    server = await startLlamaCppServer();
    const wranglerToml = [
      `name = "e2e-ai-real-model"`,
      `main = "index.js"`,
      `compatibility_date = "2026-04-01"`,
      ``,
      `[ai]`,
      `binding = "AI"`,
      ``,
      `[ai.models]`,
      `"@cf/meta/llama-3.1-8b-instruct" = "${server.model}"`,
      `"@cf/baai/bge-small-en-v1.5" = "${server.model}"`,
      `"@cf/hearth/tiny-llama" = "${server.model}"`,
      `"@cf/hearth/missing" = "missing-model"`,
    ].join("\n");
    dir = makeProject({ "wrangler.toml": wranglerToml, "index.js": worker });
    dev = await startDev(dir, [], { env: { HEARTH_REGISTRY_DIR: path.join(dir, "registry"), HEARTH_AI_BASE_URL: server.baseUrl, HEARTH_AI_API_KEY: "" } });
  });
  after(async () => {
    await dev?.stop();
    await server?.stop();
    if (dir) removeProject(dir);
  });

  test("the server runs the generated model: 32-dimension embeddings, named in /v1/models", async () => {
    assert.equal(server.dims, 32);
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string }[] };
    assert.deepEqual(models.data.map((m) => m.id), [server.model]);
  });

  test("prompt: generated text and usage, max_tokens tokens of it; the same again (greedy decoding)", async () => {
    const first = (await (await dev.fetch("/prompt?max=16")).json()) as TextOutput;
    assert.equal(typeof first.response, "string");
    assert.match(first.response, PRINTABLE);
    assert.ok(first.usage.prompt_tokens > 0, JSON.stringify(first.usage));
    assert.equal(first.usage.completion_tokens, 16);
    assert.equal(first.usage.total_tokens, first.usage.prompt_tokens + 16);
    assert.deepEqual(await (await dev.fetch("/prompt?max=16")).json(), first);
    const longer = (await (await dev.fetch("/prompt?max=24")).json()) as TextOutput;
    assert.equal(longer.usage.completion_tokens, 24);
    assert.ok(longer.response.startsWith(first.response), `${JSON.stringify(longer.response)} does not continue ${JSON.stringify(first.response)}`);
  });

  test("messages with a system message: more prompt tokens, and a mapped model name", async () => {
    const bare = (await (await dev.fetch("/prompt?max=8")).json()) as TextOutput;
    const json = (await (await dev.fetch("/messages?max=8")).json()) as TextOutput;
    assert.match(json.response, PRINTABLE);
    assert.equal(json.usage.completion_tokens, 8);
    assert.ok(json.usage.prompt_tokens > bare.usage.prompt_tokens, `${json.usage.prompt_tokens} <= ${bare.usage.prompt_tokens}`);
  });

  test("raw: a plain completion of the prompt", async () => {
    const json = (await (await dev.fetch("/raw?max=12")).json()) as TextOutput;
    assert.match(json.response, PRINTABLE);
    assert.equal(json.usage.completion_tokens, 12);
    assert.ok(json.usage.prompt_tokens > 0);
  });

  test("stream: true gives Workers AI's events, one per generated token, then usage and [DONE]; the text is the unstreamed answer's", async () => {
    const response = await dev.fetch("/stream?max=16");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const text = await response.text();
    assert.ok(text.endsWith("data: [DONE]\n\n"), JSON.stringify(text.slice(-200)));
    const events = text.split("\n\n").slice(0, -1);
    assert.ok(events.every((e) => e.startsWith("data: ")), JSON.stringify(events));
    assert.equal(events.pop(), "data: [DONE]");
    const chunks = events.map((e) => JSON.parse(e.slice("data: ".length)) as { response: string; usage?: TextOutput["usage"] });
    const usage = chunks.pop()!;
    assert.equal(usage.response, "");
    assert.equal(usage.usage?.completion_tokens, 16);
    assert.ok(chunks.length >= 2, "the answer came in one piece");
    for (const chunk of chunks) {
      assert.deepEqual(Object.keys(chunk), ["response"]);
      assert.notEqual(chunk.response, "");
    }
    const unstreamed = (await (await dev.fetch("/prompt?max=16")).json()) as TextOutput;
    assert.equal(chunks.map((c) => c.response).join(""), unstreamed.response);
    assert.deepEqual(usage.usage, unstreamed.usage);
  });

  test("embeddings: { shape: [3, 32], data } computed by the model, the same text giving the same vector", async () => {
    const json = (await (await dev.fetch("/embed")).json()) as { shape: number[]; data: number[][] };
    assert.deepEqual(json.shape, [3, server.dims]);
    assert.deepEqual(json.data.map((v) => v.length), [server.dims, server.dims, server.dims]);
    assert.ok(json.data.flat().every((x) => Number.isFinite(x)));
    assert.ok(json.data[0]!.some((x) => x !== 0));
    assert.notDeepEqual(json.data[0], json.data[1]);
    assert.deepEqual(json.data[0], json.data[2]);
  });

  test("a model the server does not have: 5007 naming it", async () => {
    const json = (await (await dev.fetch("/missing")).json()) as { name: string; message: string };
    assert.equal(json.name, "InferenceUpstreamError");
    assert.match(json.message, /^5007: No such model @cf\/hearth\/missing or task\. The inference server at .* has no model "missing-model"/);
  });
});
