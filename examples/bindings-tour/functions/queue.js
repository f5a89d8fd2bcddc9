// Queue producers. (The docs' sample reads a bare `request`; it is `context.request` here.)
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.MY_QUEUE) return missingBinding("Queues", "MY_QUEUE");
  const request = context.request;
  await context.env.MY_QUEUE.send({
    url: request.url,
    method: request.method,
    headers: Object.fromEntries(request.headers),
  });

  return new Response("Sent!");
}
