/**
 * `DurableObjectNamespace` and stubs as user code sees them
 * (https://developers.cloudflare.com/durable-objects/api/namespace/, .../api/stub/). A stub reaches
 * its object through an ObjectChannel: a direct call when the class runs in this isolate, or the
 * host when it lives in another Worker.
 */
import { rpcProxy } from "../service/index.js";
import { DurableObjectIdImpl, type IdFactory } from "./id.js";

/** How a stub reaches its object. */
export interface ObjectChannel {
  fetch(request: Request): Promise<Response>;
  /** Calls (or reads) a member of the object; rejects with the object's error. */
  call(method: string, args: unknown[]): Promise<unknown>;
}

/** Names a stub never sends over RPC (https://developers.cloudflare.com/durable-objects/api/stub/). */
export const DURABLE_OBJECT_RESERVED_METHODS: ReadonlySet<string> = new Set([
  "fetch",
  "connect",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "constructor",
  "dup",
]);

function createStub(id: DurableObjectIdImpl, channel: ObjectChannel): Record<string, unknown> {
  const base = {
    id,
    name: id.name,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => channel.fetch(new Request(input, init)),
    connect() {
      throw new Error("Hearth does not support connect() on Durable Object stubs yet.");
    },
  };
  return rpcProxy(base, DURABLE_OBJECT_RESERVED_METHODS, (method, args) => channel.call(method, args));
}

export class DurableObjectNamespaceImpl {
  readonly #ids: IdFactory;
  readonly #channelFor: (id: DurableObjectIdImpl) => ObjectChannel;

  constructor(ids: IdFactory, channelFor: (id: DurableObjectIdImpl) => ObjectChannel) {
    this.#ids = ids;
    this.#channelFor = channelFor;
  }

  idFromName(name: string): DurableObjectIdImpl {
    return this.#ids.fromName(String(name));
  }

  /** The jurisdiction option is accepted; locally every object lives in the same place. */
  newUniqueId(_options?: { jurisdiction?: string }): DurableObjectIdImpl {
    return this.#ids.unique();
  }

  idFromString(id: string): DurableObjectIdImpl {
    return this.#ids.fromString(id);
  }

  /** Location hints and routing options are accepted and ignored locally. */
  get(id: DurableObjectIdImpl, _options?: { locationHint?: string }): Record<string, unknown> {
    if (!(id instanceof DurableObjectIdImpl)) throw new TypeError("Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.");
    // An id parsed from a string is re-validated so one from another namespace never gets a stub.
    return createStub(id, this.#channelFor(this.#ids.fromString(id.toString()) && id));
  }

  getByName(name: string, options?: { locationHint?: string }): Record<string, unknown> {
    return this.get(this.idFromName(name), options);
  }

  jurisdiction(_jurisdiction: string): DurableObjectNamespaceImpl {
    return this;
  }
}
