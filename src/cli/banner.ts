/** The startup banner: every binding with its kind and where its data lives, then the URL. */
import type { WorkerPlan } from "../config/index.js";
import { describeBinding } from "../bindings/describe.js";

export function bindingTable(plan: WorkerPlan, cwd: string): string[] {
  if (plan.bindings.length === 0) return ["No bindings."];
  const rows = plan.bindings.map((b) => describeBinding(b, cwd));
  const header = { binding: "Binding", resource: "Resource", kind: "Kind", location: "Data" };
  const all = [header, ...rows];
  const width = (key: keyof typeof header) => Math.max(...all.map((r) => r[key].length));
  const [wb, wr, wk] = [width("binding"), width("resource"), width("kind")];
  const line = (r: typeof header) => `${r.binding.padEnd(wb)}  ${r.resource.padEnd(wr)}  ${r.kind.padEnd(wk)}  ${r.location}`.trimEnd();
  return [`Your Worker "${plan.name}" has access to the following bindings:`, line(header), ...rows.map(line)];
}
