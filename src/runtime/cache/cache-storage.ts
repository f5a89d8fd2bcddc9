/**
 * Workers' `caches` global: `caches.default` and `await caches.open(name)`, each a Cache kept in
 * `<state>/cache/<name>/` (caches.default in `<state>/cache/default/`, so `caches.open("default")`
 * is the same cache). A cache's files are opened on its first operation.
 */
import path from "node:path";
import { systemClock, type Clock } from "../../shared/clock.js";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import { Cache } from "./cache.js";
import { CacheStore } from "./store.js";

/** The folder under the state root holding every cache. */
export const CACHE_KIND_DIR = "cache";
/** The name `caches.default` is stored under. */
export const DEFAULT_CACHE_NAME = "default";

export class CacheStorage {
  readonly #stateRoot: string;
  readonly #clock: Clock;
  readonly #caches = new Map<string, Cache>();

  constructor(stateRoot: string, clock: Clock = systemClock) {
    this.#stateRoot = stateRoot;
    this.#clock = clock;
  }

  get default(): Cache {
    return this.#cache(DEFAULT_CACHE_NAME);
  }

  async open(name: string): Promise<Cache> {
    return this.#cache(String(name));
  }

  #cache(name: string): Cache {
    let cache = this.#caches.get(name);
    if (cache === undefined) {
      let store: CacheStore | undefined;
      const dir = path.join(kindDir(this.#stateRoot, CACHE_KIND_DIR), safeFileSegment(name));
      cache = new Cache(() => (store ??= new CacheStore(dir, this.#clock)), this.#clock);
      this.#caches.set(name, cache);
    }
    return cache;
  }
}
