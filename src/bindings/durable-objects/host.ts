/**
 * The Durable Objects of one isolate: an engine per class this Worker defines (created on first
 * use), namespaces for `env`, and delivery of calls that other Workers address to these classes.
 */
import crypto from "node:crypto";
import type { DurableObjectAddress, ServiceTarget, ServiceTransport } from "../service/index.js";
import type { DurableObjectBinding } from "../descriptor.js";
import { DurableObjectNamespaceImpl } from "./api.worker.js";
import { IdFactory, type Hmac } from "./id.js";
import { namespaceKey, ObjectEngine, remoteChannel, type HostedClass } from "./engine.js";
import { mkdirSync } from "node:fs";

const hmac: Hmac = (key, data) => new Uint8Array(crypto.createHmac("sha256", key).update(data).digest());

export interface DurableObjectHostOptions {
  workerName: string;
  hosted: HostedClass[];
  /** How to reach another Worker (for classes defined elsewhere). */
  transportTo(target: ServiceTarget): ServiceTransport;
  log(level: "warn" | "error", text: string): void;
}

/** A namespace whose objects run in another Worker (or, from Node, in the Worker's isolate), reached through the host. */
export function remoteNamespace(binding: DurableObjectBinding, transportTo: (target: ServiceTarget) => ServiceTransport): DurableObjectNamespaceImpl {
  const ids = new IdFactory(namespaceKey(binding.scriptName, binding.className), hmac);
  return new DurableObjectNamespaceImpl(ids, (id) =>
    remoteChannel(transportTo({ service: binding.scriptName, durableObject: { className: binding.className, id: id.toString(), name: id.name } })),
  );
}

export class DurableObjectHost {
  private readonly engines = new Map<string, ObjectEngine>();
  private module: Record<string, unknown> | undefined;
  private env: Record<string, unknown> = {};

  constructor(private readonly options: DurableObjectHostOptions) {}

  /** Called once the Worker's module has loaded: classes can now be found, and alarms armed. */
  start(module: Record<string, unknown>, env: Record<string, unknown>): void {
    this.module = module;
    this.env = env;
    for (const hosted of this.options.hosted) this.engine(hosted.className);
  }

  namespace(binding: DurableObjectBinding): DurableObjectNamespaceImpl {
    if (binding.local) {
      const ids = new IdFactory(namespaceKey(this.options.workerName, binding.className), hmac);
      return new DurableObjectNamespaceImpl(ids, (id) => this.engine(binding.className).channel(id));
    }
    return remoteNamespace(binding, this.options.transportTo);
  }

  /** A fetch another Worker sent to one of this Worker's objects. */
  fetch(address: DurableObjectAddress, request: Request): Promise<Response> {
    return this.addressed(address).fetch(request);
  }

  /** An RPC call another Worker sent to one of this Worker's objects. */
  call(address: DurableObjectAddress, method: string, args: unknown[]): Promise<unknown> {
    return this.addressed(address).call(method, args);
  }

  dispose(): void {
    for (const engine of this.engines.values()) engine.dispose();
    this.engines.clear();
  }

  private addressed(address: DurableObjectAddress) {
    const engine = this.engine(address.className);
    // Validates that the id belongs to this class's namespace.
    engine.ids.fromString(address.id);
    return engine.object(address.id, address.name);
  }

  private engine(className: string): ObjectEngine {
    let engine = this.engines.get(className);
    if (engine) return engine;
    const hosted = this.options.hosted.find((h) => h.className === className);
    if (!hosted) throw new Error(`Durable Object class "${className}" is not defined by Worker "${this.options.workerName}" (no migration declares it).`);
    mkdirSync(hosted.dir, { recursive: true });
    engine = new ObjectEngine({
      hosted,
      scriptName: this.options.workerName,
      env: this.env,
      hmac,
      log: this.options.log,
      objectClass: () => {
        const Class = this.module?.[className];
        if (typeof Class !== "function") {
          throw new Error(`Durable Object class "${className}" is not exported by Worker "${this.options.workerName}".`);
        }
        return Class as new (state: unknown, env: unknown) => Record<string, unknown>;
      },
    });
    this.engines.set(className, engine);
    return engine;
  }
}
