/** How the startup banner shows each binding: its kind, the resource, and where its data lives. */
import path from "node:path";
import type { BindingDescriptor } from "./descriptor.js";

export interface BindingRow {
  binding: string;
  resource: string;
  kind: string;
  location: string;
}

const MAX_VALUE_CHARS = 40;

function shorten(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export function describeBinding(descriptor: BindingDescriptor, cwd: string): BindingRow {
  const where = (dir: string) => path.relative(cwd, dir) || ".";
  switch (descriptor.kind) {
    case "text":
      return {
        binding: `env.${descriptor.name}`,
        resource: descriptor.secret ? '"(hidden)"' : shorten(JSON.stringify(descriptor.value)),
        kind: descriptor.secret ? "Secret" : "Environment Variable",
        location: "",
      };
    case "json":
      return { binding: `env.${descriptor.name}`, resource: shorten(JSON.stringify(descriptor.value)), kind: "Environment Variable", location: "" };
    case "kv":
      return { binding: `env.${descriptor.name}`, resource: descriptor.namespaceId, kind: "KV Namespace", location: where(descriptor.dir) };
    case "r2":
      return { binding: `env.${descriptor.name}`, resource: descriptor.bucketName, kind: "R2 Bucket", location: where(descriptor.dir) };
    case "d1":
      return { binding: `env.${descriptor.name}`, resource: descriptor.databaseName ?? descriptor.databaseId, kind: "D1 Database", location: where(descriptor.dir) };
    case "assets":
      return { binding: `env.${descriptor.name}`, resource: where(descriptor.directory), kind: "Assets", location: "" };
    case "durable-object":
      return {
        binding: `env.${descriptor.name}`,
        resource: descriptor.local ? descriptor.className : `${descriptor.className} (defined in ${descriptor.scriptName})`,
        kind: "Durable Object",
        location: "",
      };
    case "queue":
      return { binding: `env.${descriptor.name}`, resource: descriptor.queueName, kind: "Queue", location: where(descriptor.dir) };
    case "ai":
      return { binding: `env.${descriptor.name}`, resource: descriptor.baseUrl ?? "not configured (HEARTH_AI_BASE_URL)", kind: "AI", location: "" };
    case "analytics-engine":
      return { binding: `env.${descriptor.name}`, resource: descriptor.dataset, kind: "Analytics Engine Dataset", location: where(descriptor.dir) };
    case "service":
      return {
        binding: `env.${descriptor.name}`,
        resource: descriptor.entrypoint ? `${descriptor.service}#${descriptor.entrypoint}` : descriptor.service,
        kind: "Worker",
        location: "",
      };
  }
}
