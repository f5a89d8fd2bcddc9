// Workers AI: the docs' sample, with the model answering through env.AI.run.
//
// Hearth runs the model on an OpenAI-compatible inference server you run (Ollama, llama.cpp,
// vLLM, LM Studio): start one and set HEARTH_AI_BASE_URL, e.g.
//   ollama pull llama3.1:8b
//   HEARTH_AI_BASE_URL=http://localhost:11434/v1 npx hearth pages dev
// Without one, run() throws an InferenceUpstreamError that says which setting to change; this
// Function answers 503 with that message instead of a stack trace.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.AI) return missingBinding("Workers AI", "AI");

  const input = { prompt: "What is the origin of the phrase Hello, World" };

  try {
    const answer = await context.env.AI.run("@cf/meta/llama-3.1-8b-instruct", input);
    return Response.json(answer);
  } catch (error) {
    return new Response(`${error.name}: ${error.message}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
