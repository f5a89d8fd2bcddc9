/**
 * Wiring for KV: config entries → descriptors (host side), descriptor → `env.NAME` (isolate side).
 * The only file of this folder that sees config, store and api together.
 */
import fs from "node:fs";
import path from "node:path";
import { systemClock, type Clock } from "../../shared/clock.js";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import type { KvBinding } from "../descriptor.js";
import { createKvApi, type KVNamespace } from "./api.worker.js";
import { KV_DB_FILE, openSqliteKvStore } from "./drivers/sqlite.js";
import type { KvStore } from "./store.js";

/** One `kv_namespaces[]` entry of a wrangler config (or one `--kv BINDING[=ID]` flag). */
export interface KvNamespaceConfig {
  binding: string;
  id?: string;
  preview_id?: string;
}

export interface CreateKvNamespaceOptions {
  /** Time source for expirations. Default: the system clock. */
  clock?: Clock;
}

/** Stores opened by createKvNamespace in this thread, until disposed. */
const openStores = new Map<KVNamespace, KvStore>();

/**
 * Opens the namespace's storage (creating `<descriptor.dir>/db.sqlite` if needed) and returns the
 * `KVNamespace` user code sees. Call `disposeKvNamespace` or `closeKvNamespaces` to release it.
 */
export function createKvNamespace(descriptor: KvBinding, options: CreateKvNamespaceOptions = {}): KVNamespace {
  const clock = options.clock ?? systemClock;
  const store = openSqliteKvStore(descriptor.dir, { clock });
  const namespace = createKvApi(store, { clock });
  openStores.set(namespace, store);
  return namespace;
}

/** Closes the storage behind one namespace made by createKvNamespace; later calls on it reject. */
export async function disposeKvNamespace(namespace: KVNamespace): Promise<void> {
  const store = openStores.get(namespace);
  if (store === undefined) return;
  openStores.delete(namespace);
  await store.close();
}

/** Closes every namespace createKvNamespace opened in this thread (waits for pending writes). */
export async function closeKvNamespaces(): Promise<void> {
  const stores = [...openStores.values()];
  openStores.clear();
  await Promise.all(stores.map((store) => store.close()));
}

/** The namespace id local mode uses, as wrangler: `preview_id`, else `id`, else the binding name. */
export function kvNamespaceId(entry: KvNamespaceConfig): string {
  return entry.preview_id || entry.id || entry.binding;
}

/** Where a namespace's data lives: `<stateRoot>/kv/<namespace id, made file-safe>`. */
export function kvNamespaceDir(stateRoot: string, namespaceId: string): string {
  return path.join(kindDir(stateRoot, "kv"), safeFileSegment(namespaceId));
}

/** One descriptor per config entry, for the host to hand to isolates. */
export function kvDescriptors(entries: readonly KvNamespaceConfig[], stateRoot: string): KvBinding[] {
  return entries.map((entry) => {
    const namespaceId = kvNamespaceId(entry);
    return { kind: "kv", name: entry.binding, namespaceId, dir: kvNamespaceDir(stateRoot, namespaceId) };
  });
}

/** Namespace ids that have data under `<stateRoot>/kv/`, sorted. */
export function listLocalKvNamespaces(stateRoot: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(kindDir(stateRoot, "kv"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!fs.existsSync(path.join(kindDir(stateRoot, "kv"), name, KV_DB_FILE))) continue;
    try {
      ids.push(decodeURIComponent(name));
    } catch {
      // Not a folder safeFileSegment made; not ours.
    }
  }
  return ids.sort();
}
