/**
 * One Durable Object class hosted by this isolate: its live objects (exactly one per id), their
 * eviction when idle, and their alarms — scheduled from the class's directory at start, so alarms
 * set before a restart still fire.
 */
import path from "node:path";
// Node's own timers: inside an isolate the global ones are the Workers versions (they return numbers).
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { callOver, fetchOver, type ServiceTransport } from "../service/index.js";
import type { ObjectChannel } from "./api.worker.js";
import { DurableObjectIdImpl, IdFactory, type Hmac } from "./id.js";
import { ALARM_FIRST_RETRY_DELAY_MS, ALARM_MAX_RETRIES, EVICTION_SWEEP_MS, IDLE_EVICTION_MS, MAX_TIMER_DELAY_MS } from "./limits.js";
import { LiveObject, type LiveObjectHost } from "./live-object.js";
import { ObjectDirectory } from "./object-directory.js";
import { openObjectStorage, type ObjectStorage } from "./storage/index.js";

/** A class this Worker defines, as its migrations declare it. */
export interface HostedClass {
  className: string;
  /** `new_sqlite_classes`: SQL API available. */
  sqlite: boolean;
  /** `<state>/do/<script>-<Class>`: one SQLite file per object, plus directory.sqlite. */
  dir: string;
}

export interface EngineOptions {
  hosted: HostedClass;
  /** The Worker that defines the class: with the class name it keys the namespace's ids. */
  scriptName: string;
  env: Record<string, unknown>;
  objectClass(): new (state: unknown, env: unknown) => Record<string, unknown>;
  hmac: Hmac;
  log(level: "warn" | "error", text: string): void;
  /** How long an object may sit idle before it is evicted (default IDLE_EVICTION_MS). */
  idleEvictionMs?: number;
}

/** The key that makes ids of one namespace invalid in another. */
export function namespaceKey(scriptName: string, className: string): string {
  return `hearth-durable-object:${scriptName}:${className}`;
}

export class ObjectEngine implements LiveObjectHost {
  readonly ids: IdFactory;
  readonly env: Record<string, unknown>;
  private readonly objects = new Map<string, LiveObject>();
  private readonly directory: ObjectDirectory;
  private readonly alarmTimers = new Map<string, NodeJS.Timeout>();
  private readonly alarmRetries = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: EngineOptions) {
    this.ids = new IdFactory(namespaceKey(options.scriptName, options.hosted.className), options.hmac);
    this.env = options.env;
    this.directory = new ObjectDirectory(path.join(options.hosted.dir, "directory.sqlite"));
    const idleMs = options.idleEvictionMs ?? IDLE_EVICTION_MS;
    this.sweeper = setInterval(() => this.evictIdle(idleMs), Math.min(EVICTION_SWEEP_MS, idleMs));
    this.sweeper.unref();
    for (const alarm of this.directory.pendingAlarms()) this.scheduleAlarm(alarm.id, alarm.name, alarm.time);
  }

  objectClass() {
    return this.options.objectClass();
  }

  channel(id: DurableObjectIdImpl): ObjectChannel {
    return {
      fetch: (request) => this.object(id.toString(), id.name).fetch(request),
      call: (method, args) => this.object(id.toString(), id.name).call(method, args),
    };
  }

  /** The live object for an id, created on first use. */
  object(hexId: string, name?: string): LiveObject {
    let object = this.objects.get(hexId);
    if (!object) {
      if (name !== undefined) this.directory.remember(hexId, name);
      object = new LiveObject(this, new DurableObjectIdImpl(hexId, name ?? this.directory.nameOf(hexId)));
      this.objects.set(hexId, object);
    }
    return object;
  }

  openStorage(id: DurableObjectIdImpl, hasAlarmHandler: boolean): ObjectStorage {
    const storage = openObjectStorage({ file: path.join(this.options.hosted.dir, `${id.toString()}.sqlite`), sqlite: this.options.hosted.sqlite });
    storage.hasAlarmHandler = hasAlarmHandler;
    storage.onAlarmChange = (time) => {
      this.directory.setAlarm(id.toString(), time);
      this.scheduleAlarm(id.toString(), id.name, time);
    };
    const stored = storage.alarmTime();
    if (stored !== null && !this.alarmTimers.has(id.toString())) this.scheduleAlarm(id.toString(), id.name, stored);
    return storage;
  }

  log(level: "warn" | "error", text: string): void {
    this.options.log(level, text);
  }

  discard(object: LiveObject): void {
    if (this.objects.get(object.id.toString()) === object) this.objects.delete(object.id.toString());
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const timer of this.alarmTimers.values()) clearTimeout(timer);
    for (const object of this.objects.values()) object.close();
    this.objects.clear();
    this.directory.close();
  }

  private evictIdle(idleMs: number): void {
    const cutoff = Date.now() - idleMs;
    for (const [id, object] of this.objects) {
      if (object.idle && object.lastUsedMs < cutoff) {
        object.close();
        this.objects.delete(id);
      }
    }
  }

  private scheduleAlarm(hexId: string, name: string | undefined, time: number | null): void {
    clearTimeout(this.alarmTimers.get(hexId));
    this.alarmTimers.delete(hexId);
    if (time === null) return;
    const delay = Math.max(0, time - Date.now());
    const timer = setTimeout(
      () => void (delay > MAX_TIMER_DELAY_MS ? this.scheduleAlarm(hexId, name, time) : this.fireAlarm(hexId, name, time)),
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
    this.alarmTimers.set(hexId, timer);
  }

  /**
   * Runs alarm() if the stored alarm is still the one scheduled. A throw re-arms the stored alarm
   * for a retry with exponential backoff (so retries survive a restart), up to ALARM_MAX_RETRIES.
   */
  private async fireAlarm(hexId: string, name: string | undefined, scheduledTime: number): Promise<void> {
    this.alarmTimers.delete(hexId);
    const object = this.object(hexId, name);
    const retryCount = this.alarmRetries.get(hexId) ?? 0;
    try {
      if ((await object.alarmTime()) !== scheduledTime) return;
      await object.clearAlarm();
      await object.alarm({ retryCount, isRetry: retryCount > 0 });
      this.alarmRetries.delete(hexId);
    } catch (error) {
      const { className } = this.options.hosted;
      this.options.log("error", `Durable Object ${className} ${hexId}: alarm() threw: ${(error as Error).stack ?? error}`);
      // A handler that set a new alarm of its own is not retried.
      if ((await object.alarmTime().catch(() => null)) !== null) return;
      if (retryCount >= ALARM_MAX_RETRIES) {
        this.alarmRetries.delete(hexId);
        this.options.log("error", `Durable Object ${className} ${hexId}: alarm() failed ${retryCount + 1} times; giving up.`);
        return;
      }
      this.alarmRetries.set(hexId, retryCount + 1);
      await object.setAlarm(Date.now() + ALARM_FIRST_RETRY_DELAY_MS * 2 ** retryCount);
    }
  }
}

/** A channel to an object whose class lives in another Worker, through the host. */
export function remoteChannel(transport: ServiceTransport): ObjectChannel {
  return {
    fetch: (request) => fetchOver(transport, request),
    call: (method, args) => callOver(transport, method, args),
  };
}
