// Durable Object namespaces.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequestGet(context) {
  if (!context.env.DURABLE_OBJECT) return missingBinding("Durable Objects", "DURABLE_OBJECT");
  const id = context.env.DURABLE_OBJECT.newUniqueId();
  const stub = context.env.DURABLE_OBJECT.get(id);

  // Pass the request down to the durable object
  return stub.fetch(context.request);
}
