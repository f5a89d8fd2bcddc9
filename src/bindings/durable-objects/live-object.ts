/**
 * One Durable Object instance in this isolate: its class instance, its storage and the rules for
 * delivering events to it. Events wait while `blockConcurrencyWhile` runs; storage writes are
 * flushed before any result leaves the object (the output gate). Storage calls are synchronous
 * underneath, so `await get()` then `await put()` cannot interleave with another event (the
 * input gate holds by construction).
 */
import { DurableObject } from "../../runtime/cloudflare-workers.js";
import type { DurableObjectIdImpl } from "./id.js";
import type { WebSocketRequestResponsePair, WorkersWebSocket } from "../../runtime/websocket-pair.js";
import { HibernatableSockets } from "./hibernatable-sockets.js";
import type { ObjectStorage } from "./storage/index.js";

export interface LiveObjectHost {
  /** The class, looked up in the loaded module. */
  objectClass(): new (state: unknown, env: unknown) => Record<string, unknown>;
  env: Record<string, unknown>;
  openStorage(id: DurableObjectIdImpl, hasAlarmHandler: boolean): ObjectStorage;
  /** The object reset itself (its constructor or a blockConcurrencyWhile callback threw, or abort()). */
  discard(object: LiveObject): void;
  log(level: "warn" | "error", text: string): void;
}

/** Values crossing an RPC boundary are structured-cloned; what cannot be (functions) is passed as is. */
function cloneAcross<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function rpcMember(instance: object, name: string): PropertyDescriptor | undefined {
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== DurableObject.prototype && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

export class LiveObject {
  private instance: Record<string, unknown> | undefined;
  private storage: ObjectStorage | undefined;
  private gate: Promise<void> | null = null;
  private active = 0;
  private readonly sockets = new HibernatableSockets((handler, args) => {
    void this.deliver(async (instance) => {
      const method = instance[handler] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof method === "function") await method.apply(instance, args);
    }).catch((error: unknown) => this.host.log("error", `Durable Object ${handler}() threw: ${(error as Error).stack ?? error}`));
  });
  lastUsedMs = Date.now();

  constructor(
    private readonly host: LiveObjectHost,
    readonly id: DurableObjectIdImpl,
  ) {}

  /** Nothing running, nothing waiting, no open WebSocket. */
  get idle(): boolean {
    return this.active === 0 && this.gate === null && this.sockets.open === 0;
  }

  fetch(request: Request): Promise<Response> {
    return this.deliver(async (instance) => {
      const fetch = instance.fetch as ((request: Request) => unknown) | undefined;
      if (typeof fetch !== "function") throw new TypeError("Handler does not export a fetch() function.");
      const response = await fetch.call(instance, request);
      if (!(response instanceof Response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
      return response;
    });
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    return this.deliver(async (instance) => {
      if (!(instance instanceof DurableObject)) {
        throw new TypeError("The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`.");
      }
      const member = rpcMember(instance, method);
      if (!member) throw new TypeError(`The RPC receiver does not implement the method "${method}".`);
      if (typeof member.value === "function") return cloneAcross(await (member.value as (...a: unknown[]) => unknown).apply(instance, cloneAcross(args)));
      return cloneAcross(member.get ? await member.get.call(instance) : await member.value);
    });
  }

  alarm(info: { retryCount: number; isRetry: boolean }): Promise<void> {
    return this.deliver(async (instance) => {
      const alarm = instance.alarm as ((info: unknown) => unknown) | undefined;
      if (typeof alarm === "function") await alarm.call(instance, info);
    });
  }

  /** The object's alarm time as stored (opening the object if needed). */
  async alarmTime(): Promise<number | null> {
    await this.ready();
    return this.storage!.alarmTime();
  }

  /** Clears the stored alarm before its handler runs, as Cloudflare does. */
  clearAlarm(): Promise<void> {
    return this.deliver(() => this.alarms().deleteAlarm());
  }

  /** Re-arms the stored alarm (for a retry). */
  setAlarm(time: number): Promise<void> {
    return this.deliver(() => this.alarms().setAlarm(time));
  }

  private alarms() {
    return this.storage!.api as { deleteAlarm(): Promise<void>; setAlarm(time: number): Promise<void> };
  }

  close(): void {
    this.storage?.flush();
    this.storage?.close();
    this.storage = undefined;
    this.instance = undefined;
  }

  /** Runs one event; its writes are committed before its result leaves the object (the output gate). */
  private async deliver<T>(event: (instance: Record<string, unknown>) => Promise<T>): Promise<T> {
    this.active++;
    try {
      const result = await event(await this.ready());
      this.commit();
      return result;
    } catch (error) {
      // Writes made before a throw still count, as on Cloudflare.
      this.commit();
      throw error;
    } finally {
      this.active--;
      this.lastUsedMs = Date.now();
    }
  }

  /** Commits pending writes; a commit that fails resets the object (its result is never delivered). */
  private commit(): void {
    try {
      this.storage?.flush();
    } catch (error) {
      this.close();
      this.host.discard(this);
      throw error;
    }
  }

  private async ready(): Promise<Record<string, unknown>> {
    if (!this.instance) this.construct();
    while (this.gate) await this.gate;
    if (!this.instance) throw new Error("Durable Object reset because its constructor or blockConcurrencyWhile() callback threw.");
    return this.instance;
  }

  private construct(): void {
    const Class = this.host.objectClass();
    const storage = this.host.openStorage(this.id, typeof Class.prototype.alarm === "function");
    this.storage = storage;
    try {
      this.instance = new Class(this.state(storage), this.host.env);
    } catch (error) {
      this.close();
      this.host.discard(this);
      throw error;
    }
  }

  private state(storage: ObjectStorage) {
    const sockets = this.sockets;
    return {
      id: this.id,
      storage: storage.api,
      props: {},
      waitUntil: (promise: Promise<unknown>) => void Promise.resolve(promise).catch(() => {}),
      blockConcurrencyWhile: <T>(callback: () => Promise<T> | T) => this.block(callback),
      abort: (reason?: unknown) => {
        this.close();
        this.host.discard(this);
        throw reason instanceof Error ? reason : new Error(reason === undefined ? "Durable Object aborted." : String(reason));
      },
      acceptWebSocket: (ws: WorkersWebSocket, tags?: string[]) => sockets.accept(ws, tags),
      getWebSockets: (tag?: string) => sockets.get(tag),
      getTags: (ws: WorkersWebSocket) => sockets.tagsOf(ws),
      setWebSocketAutoResponse: (pair?: WebSocketRequestResponsePair) => sockets.setAutoResponse(pair),
      getWebSocketAutoResponse: () => sockets.getAutoResponse(),
      getWebSocketAutoResponseTimestamp: (ws: WorkersWebSocket) => sockets.autoResponseTimestamp(ws),
      setHibernatableWebSocketEventTimeout: (ms?: number) => sockets.setEventTimeout(ms),
      getHibernatableWebSocketEventTimeout: () => sockets.getEventTimeout(),
    };
  }

  /** blockConcurrencyWhile: no event is delivered until `callback` settles; a throw resets the object. */
  private block<T>(callback: () => Promise<T> | T): Promise<T> {
    const run = (async () => callback())();
    const gate = run.then(
      () => undefined,
      () => {
        this.close();
        this.host.discard(this);
      },
    );
    this.gate = gate;
    void gate.then(() => {
      if (this.gate === gate) this.gate = null;
    });
    return run;
  }
}
