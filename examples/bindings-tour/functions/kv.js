// KV namespaces. Put a task first: npx hearth kv key put Task:123 "Buy milk" --binding TODO_LIST
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.TODO_LIST) return missingBinding("KV namespaces", "TODO_LIST");
  const task = await context.env.TODO_LIST.get("Task:123");
  return new Response(task);
}
