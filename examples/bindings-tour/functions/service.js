// Service bindings.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequestGet(context) {
  if (!context.env.SERVICE) return missingBinding("service bindings", "SERVICE");
  return context.env.SERVICE.fetch(context.request);
}
