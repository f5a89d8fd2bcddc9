/**
 * How the host finds the Worker a service binding names. `hearth dev -c a -c b` puts every Worker
 * of the session in one router; a binding whose Worker is not (yet) running gets a clear error
 * and works as soon as the Worker starts.
 */
import type { Readable } from "node:stream";
import type { IsolateResponse } from "./isolate.js";
import type { DevRegistry } from "./dev-registry.js";
import type { RpcCall, RpcOutcome, WireRequest } from "./protocol.js";
import { RemoteService } from "./remote-service.js";

/** A Worker as a service-binding target. WorkerService is one. */
export interface ServiceHandle {
  fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse>;
  rpc(call: RpcCall): Promise<RpcOutcome>;
}

export interface ServiceRouter {
  lookup(service: string): ServiceHandle | undefined;
}

/**
 * The Workers of one session, by name; with a registry, also those other Hearth processes on this
 * machine announce (reached over loopback HTTP).
 */
export class WorkerDirectory implements ServiceRouter {
  private readonly workers = new Map<string, () => ServiceHandle>();

  constructor(private readonly registry?: DevRegistry) {}

  /** `handle` is looked up per call, so a Worker whose service is replaced stays reachable. */
  add(name: string, handle: () => ServiceHandle): void {
    this.workers.set(name, handle);
  }

  names(): string[] {
    return [...this.workers.keys()];
  }

  /** A Worker of this process only. */
  local(service: string): ServiceHandle | undefined {
    return this.workers.get(service)?.();
  }

  lookup(service: string): ServiceHandle | undefined {
    const local = this.local(service);
    if (local) return local;
    const entry = this.registry?.find(service);
    return entry && entry.pid !== process.pid ? new RemoteService(entry.url, service) : undefined;
  }
}

/** wrangler's wording for a binding whose Worker is not running. */
export function notRunningMessage(service: string, entrypoint: string | undefined): string {
  return `Couldn't find a local dev session for the "${entrypoint ?? "default"}" entrypoint of service "${service}" to proxy to`;
}
