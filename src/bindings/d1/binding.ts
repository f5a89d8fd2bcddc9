/**
 * Wiring for D1: config entries and Pages flags → descriptors (host side), descriptor → `env.NAME`
 * (isolate side). The only file of this folder that sees config, store and api together.
 */
import fs from "node:fs";
import path from "node:path";
import type { Clock } from "../../shared/clock.js";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import type { D1Binding } from "../descriptor.js";
import { createD1Api, type D1Database } from "./api.worker.js";
import { D1_DB_FILE, openSqliteD1Store } from "./drivers/sqlite.js";
import type { D1Store } from "./store.js";

/** One `d1_databases[]` entry of a wrangler config (the keys D1 wiring reads). */
export interface D1DatabaseEntry {
  binding: string;
  database_name?: string;
  database_id?: string;
  preview_database_id?: string;
  /** Folder of migration files, relative to the config file's folder. Default `migrations`. */
  migrations_dir?: string;
  /** Table that records applied migrations. Default `d1_migrations`. */
  migrations_table?: string;
}

export interface CreateD1DatabaseOptions {
  /** Time source for bookmarks. Default: the system clock. */
  clock?: Clock;
}

/** Stores opened by createD1Database in this thread, until disposed. */
const openStores = new Map<D1Database, D1Store>();

/**
 * Opens the database file (creating `<descriptor.dir>/db.sqlite` if needed) and returns the
 * `D1Database` user code sees. Call `disposeD1Database` or `closeD1Databases` to release it.
 */
export function createD1Database(descriptor: D1Binding, options: CreateD1DatabaseOptions = {}): D1Database {
  const store = openSqliteD1Store(descriptor.dir, options.clock ? { clock: options.clock } : {});
  const database = createD1Api(store);
  openStores.set(database, store);
  return database;
}

/** Closes the file behind one database made by createD1Database; later queries on it reject. */
export async function disposeD1Database(database: D1Database): Promise<void> {
  const store = openStores.get(database);
  if (store === undefined) return;
  openStores.delete(database);
  await store.close();
}

/** Closes every database createD1Database opened in this thread. */
export async function closeD1Databases(): Promise<void> {
  const stores = [...openStores.values()];
  openStores.clear();
  await Promise.all(stores.map((store) => store.close()));
}

/**
 * The database id local mode uses, as wrangler: `preview_database_id`, else `database_id`, else
 * the binding name (wrangler's `d1DatabaseEntry`). Empty strings count as absent.
 */
export function d1DatabaseId(entry: D1DatabaseEntry): string {
  return entry.preview_database_id || entry.database_id || entry.binding;
}

/** Where a database's file lives: `<stateRoot>/d1/<database id, made file-safe>`. */
export function d1DatabaseDir(stateRoot: string, databaseId: string): string {
  return path.join(kindDir(stateRoot, "d1"), safeFileSegment(databaseId));
}

/** One descriptor per config entry, for the host to hand to isolates. */
export function d1Descriptors(entries: readonly D1DatabaseEntry[], stateRoot: string): D1Binding[] {
  return entries.map((entry) => {
    const databaseId = d1DatabaseId(entry);
    return {
      kind: "d1",
      name: entry.binding,
      databaseId,
      ...(entry.database_name !== undefined && { databaseName: entry.database_name }),
      dir: d1DatabaseDir(stateRoot, databaseId),
    };
  });
}

/**
 * The descriptor for a Pages `--d1 BINDING[=DATABASE_ID]` flag: the id defaults to the binding
 * name, and the database is named `local-<BINDING>` as wrangler names it.
 */
export function d1FlagDescriptor(binding: string, databaseId: string | undefined, stateRoot: string): D1Binding {
  const id = databaseId || binding;
  return { kind: "d1", name: binding, databaseId: id, databaseName: `local-${binding}`, dir: d1DatabaseDir(stateRoot, id) };
}

/** Database ids that have a file under `<stateRoot>/d1/`, sorted. */
export function listLocalD1Databases(stateRoot: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(kindDir(stateRoot, "d1"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!fs.existsSync(path.join(kindDir(stateRoot, "d1"), name, D1_DB_FILE))) continue;
    try {
      ids.push(decodeURIComponent(name));
    } catch {
      // Not a folder safeFileSegment made; not ours.
    }
  }
  return ids.sort();
}
