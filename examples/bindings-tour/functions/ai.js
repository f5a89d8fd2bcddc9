// Workers AI. The docs' sample starts with:
//
//   import { Ai } from "@cloudflare/ai";
//
// That wrapper package is not installed with Hearth (nor by this example), and a static import
// of a missing package would stop the whole Functions build. So the package is loaded only when
// the binding exists, and a missing package is explained instead of failing the build.
import { missingBinding } from "../lib/missing-binding.js";

const AI_PACKAGE = "@cloudflare/ai";

export async function onRequest(context) {
  if (!context.env.AI) return missingBinding("Workers AI", "AI");
  let Ai;
  try {
    ({ Ai } = await import(AI_PACKAGE));
  } catch {
    return new Response(`The ${AI_PACKAGE} package is missing: run npm install ${AI_PACKAGE} in this project.\n`, { status: 501 });
  }
  const ai = new Ai(context.env.AI);

  const input = { prompt: "What is the origin of the phrase Hello, World" };

  const answer = await ai.run("@cf/meta/llama-2-7b-chat-int8", input);

  return Response.json(answer);
}
