/**
 * Shared by this folder's tests: a fresh object storage on a real SQLite file in a temp folder, and
 * a second, independent connection to that file to see what is committed (and only that).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Clock } from "../../../shared/clock.js";
import { loadSqlite } from "../../../shared/sqlite.js";
import { openObjectStorage, type ObjectStorage } from "./index.js";

const tempDirs: string[] = [];
process.once("exit", () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty temp folder (removed when the process exits). */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-do-storage-"));
  tempDirs.push(dir);
  return dir;
}

export interface TestStorage {
  storage: ObjectStorage;
  file: string;
  /** Opens the same file again (after `storage.close()`), as after a restart. */
  reopen(): ObjectStorage;
}

export function openTestStorage(options: { sqlite?: boolean; clock?: Clock; file?: string } = {}): TestStorage {
  const file = options.file ?? path.join(tempDir(), "object.sqlite");
  const open = () => openObjectStorage({ file, sqlite: options.sqlite ?? true, ...(options.clock ? { clock: options.clock } : {}) });
  return { storage: open(), file, reopen: open };
}

/** The keys of `_cf_KV` another connection sees (committed data only), in key order. */
export function committedKeys(file: string): string[] {
  const Sqlite = loadSqlite();
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT CAST(key AS TEXT) AS key FROM _cf_KV ORDER BY key").all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
}

/** Resolves after the current event-loop turn (and its pending commit) is over. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The `name: message` of what `fn` throws or rejects with, or "ok". */
export async function failure(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}
