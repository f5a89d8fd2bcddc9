// R2 buckets.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.BUCKET) return missingBinding("R2 buckets", "BUCKET");
  const obj = await context.env.BUCKET.get("some-key");
  if (obj === null) {
    return new Response("Not found", { status: 404 });
  }
  return new Response(obj.body);
}
