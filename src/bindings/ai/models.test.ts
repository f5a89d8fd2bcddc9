import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_AI_MODELS, isSupportedTask, taskOf } from "./models.js";

test("known models have their task whatever the inputs; others are told by their inputs", () => {
  assert.equal(taskOf("@cf/meta/llama-3.1-8b-instruct", {}), "text-generation");
  assert.equal(taskOf("@cf/baai/bge-small-en-v1.5", {}), "text-embeddings");
  assert.equal(taskOf("@cf/openai/whisper", { text: "x" }), "automatic-speech-recognition");
  assert.equal(taskOf("@cf/me/mine", { messages: [] }), "text-generation");
  assert.equal(taskOf("@cf/me/mine", { prompt: "x" }), "text-generation");
  assert.equal(taskOf("@cf/me/embedder", { text: ["x"] }), "text-embeddings");
  assert.equal(taskOf("@cf/me/mine", { image: [] }), undefined);
  assert.equal(isSupportedTask("text-to-image"), false);
});

test("every default maps a model whose task Hearth runs", () => {
  for (const [model, local] of Object.entries(DEFAULT_AI_MODELS)) {
    assert.ok(local.length > 0);
    const task = taskOf(model, {});
    assert.ok(task !== undefined && isSupportedTask(task), model);
  }
  assert.equal(DEFAULT_AI_MODELS["@cf/meta/llama-3.1-8b-instruct"], "llama3.1:8b");
  assert.equal(DEFAULT_AI_MODELS["@cf/baai/bge-base-en-v1.5"], "bge-base-en-v1.5");
});
