/**
 * Wiring for R2: config entries and flags → descriptors (host side), descriptor → `env.NAME`
 * (isolate side). The only file of this folder that sees config, store and api together.
 */
import fs from "node:fs";
import path from "node:path";
import { systemClock, type Clock } from "../../shared/clock.js";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import type { R2Binding } from "../descriptor.js";
import { createR2Api, type R2Bucket } from "./api.worker.js";
import { openSqliteR2Store, R2_DB_FILE } from "./drivers/sqlite.js";
import type { R2Store } from "./store.js";

/** One `r2_buckets[]` entry of a wrangler config. */
export interface R2BucketConfig {
  binding: string;
  bucket_name?: string;
  preview_bucket_name?: string;
}

export interface CreateR2BucketOptions {
  /** Time source for upload times and multipart expiry. Default: the system clock. */
  clock?: Clock;
}

/** Stores opened by createR2Bucket in this thread, until disposed. */
const openStores = new Map<R2Bucket, R2Store>();

/**
 * Opens the bucket's storage (creating `<descriptor.dir>/db.sqlite` if needed) and returns the
 * `R2Bucket` user code sees. Call `disposeR2Bucket` or `closeR2Buckets` to release it.
 */
export function createR2Bucket(descriptor: R2Binding, options: CreateR2BucketOptions = {}): R2Bucket {
  const store = openSqliteR2Store(descriptor.dir, { clock: options.clock ?? systemClock });
  const bucket = createR2Api(store);
  openStores.set(bucket, store);
  return bucket;
}

/** Closes the storage behind one bucket made by createR2Bucket; later calls on it reject. */
export async function disposeR2Bucket(bucket: R2Bucket): Promise<void> {
  const store = openStores.get(bucket);
  if (store === undefined) return;
  openStores.delete(bucket);
  await store.close();
}

/** Closes every bucket createR2Bucket opened in this thread (waits for pending writes). */
export async function closeR2Buckets(): Promise<void> {
  const stores = [...openStores.values()];
  openStores.clear();
  await Promise.all(stores.map((store) => store.close()));
}

/** The bucket local mode uses, as wrangler: `preview_bucket_name`, else `bucket_name`, else the binding name. */
export function r2BucketName(entry: R2BucketConfig): string {
  return entry.preview_bucket_name || entry.bucket_name || entry.binding;
}

/** Where a bucket's data lives: `<stateRoot>/r2/<bucket name, made file-safe>`. */
export function r2BucketDir(stateRoot: string, bucketName: string): string {
  return path.join(kindDir(stateRoot, "r2"), safeFileSegment(bucketName));
}

/** The descriptor of one bucket: for `--r2 BINDING[=BUCKET]` (the bucket defaults to the binding name). */
export function r2BucketDescriptor(binding: string, bucketName: string | undefined, stateRoot: string): R2Binding {
  const name = bucketName || binding;
  return { kind: "r2", name: binding, bucketName: name, dir: r2BucketDir(stateRoot, name) };
}

/** One descriptor per config entry, for the host to hand to isolates. */
export function r2Descriptors(entries: readonly R2BucketConfig[], stateRoot: string): R2Binding[] {
  return entries.map((entry) => r2BucketDescriptor(entry.binding, r2BucketName(entry), stateRoot));
}

/** Bucket names that have data under `<stateRoot>/r2/`, sorted. */
export function listLocalR2Buckets(stateRoot: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(kindDir(stateRoot, "r2"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const buckets: string[] = [];
  for (const name of names) {
    if (!fs.existsSync(path.join(kindDir(stateRoot, "r2"), name, R2_DB_FILE))) continue;
    try {
      buckets.push(decodeURIComponent(name));
    } catch {
      // Not a folder safeFileSegment made; not ours.
    }
  }
  return buckets.sort();
}
