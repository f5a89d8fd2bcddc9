/** Service binding descriptors from the config's `services` (and, for Pages, `--service`). */
import type { ServiceBinding } from "../descriptor.js";

export interface ServiceBindingConfigEntry {
  binding: string;
  service: string;
  entrypoint?: string;
  environment?: string;
  props?: Record<string, unknown>;
}

export function serviceDescriptors(entries: readonly ServiceBindingConfigEntry[]): ServiceBinding[] {
  return entries.map((entry) => ({
    kind: "service",
    name: entry.binding,
    // A binding to `worker` in environment `staging` targets the Worker named `worker-staging`.
    service: entry.environment ? `${entry.service}-${entry.environment}` : entry.service,
    entrypoint: entry.entrypoint,
    props: entry.props,
  }));
}
