/**
 * The storage interface behind `KVNamespace`: what a KV driver must do, and nothing more.
 *
 * The api (api.worker.ts) validates every argument, enforces Cloudflare's limits and makes the
 * errors user code sees; a store only stores. Drivers live in ./drivers/ and each one runs the
 * suite in ./store.case.ts.
 *
 * Contract (every driver, every method):
 *
 * - **Plain data in and out.** Arguments and results are structured-cloneable (strings, numbers,
 *   `Uint8Array`, plain objects and arrays), so a store can sit on the other side of a thread or
 *   network boundary later without changing this interface. Every method returns a Promise.
 * - **Fresh copies.** A returned value is a plain `Uint8Array` (not a subclass such as Node's
 *   `Buffer`, which must never reach user code) that spans its own `ArrayBuffer` exactly and is
 *   shared with no one: the caller may keep, mutate or transfer it. A store never keeps a reference
 *   to an argument after its promise settles (it copies what it keeps).
 * - **Keys** are non-empty JS strings, compared and ordered by their UTF-8 bytes (`memcmp` order),
 *   which is KV's list order. The api has already rejected empty, `.`/`..` and over-long keys.
 * - **Expiration** is an integer number of seconds since the UNIX epoch, or absent for "never".
 *   An entry is expired once `expiration * 1000 <= clock.now()` (the clock the driver was given).
 *   An expired entry is never returned by `get`/`getMany`/`list` and `delete` of it reports `false`;
 *   when a driver physically removes expired entries is its own business (lazily is fine).
 * - **Metadata** is the JSON text the api serialised (`JSON.stringify` of the user's value), stored and
 *   returned byte for byte; a store never parses it. Absent means "no metadata".
 * - **Writes are atomic and durable.** When `put`/`delete` resolves, the change is visible to every
 *   later read (from any handle on the same data) and survives a crash of the process or the machine.
 *   A `put` replaces value, expiration and metadata together; a failed `put` changes nothing.
 * - **Cursors.** `list` returns a `cursor` exactly when more entries may follow the page. A cursor is
 *   an opaque string naming the last key returned; listing with it resumes strictly after that key,
 *   so entries written between pages that sort later are still seen. Cursors stay valid forever
 *   (they hold no server state). An unparseable cursor behaves like a cursor naming some key; it
 *   never throws.
 */

/** One stored entry, as `get` returns it. */
export interface KvEntry {
  key: string;
  /** The value's bytes (a fresh copy). */
  value: Uint8Array;
  /** Seconds since the UNIX epoch; absent = never expires. */
  expiration?: number;
  /** JSON text as given to `put`; absent = no metadata. */
  metadata?: string;
}

/** What `put` stores. */
export interface KvPutEntry {
  key: string;
  value: Uint8Array;
  /** Integer seconds since the UNIX epoch; absent = never expires. */
  expiration?: number;
  /** JSON text; absent = no metadata. */
  metadata?: string;
}

/** One key in a list page. */
export interface KvKeyInfo {
  name: string;
  /** Seconds since the UNIX epoch; absent = never expires. */
  expiration?: number;
  /** JSON text; absent = no metadata. */
  metadata?: string;
}

export interface KvListQuery {
  /** Only keys starting with this string (compared as UTF-8 bytes). Absent or "" = all keys. */
  prefix?: string;
  /** A cursor from a previous page; absent = start at the first key. */
  cursor?: string;
  /** Most keys on the page, 1 ≤ limit; the api caps it at KV_MAX_LIST_LIMIT_KEYS. */
  limit: number;
}

export interface KvListPage {
  /** Live keys in UTF-8 byte order; may be shorter than `limit` (even empty) when `cursor` is set. */
  keys: KvKeyInfo[];
  /** Present iff more keys may follow; pass it back to get the next page. */
  cursor?: string;
}

export interface KvStore {
  /** The live entry for `key`, or null when there is none (or it has expired). */
  get(key: string): Promise<KvEntry | null>;
  /**
   * The live entries for several keys, read from one consistent snapshot; the result has one slot
   * per requested key, in order (null where absent). Duplicate keys give duplicate slots.
   */
  getMany(keys: readonly string[]): Promise<(KvEntry | null)[]>;
  /** Creates or replaces the entry for `entry.key`. */
  put(entry: KvPutEntry): Promise<void>;
  /** Removes the entry for `key`; resolves true iff a live entry was removed. */
  delete(key: string): Promise<boolean>;
  /** One page of live keys, see the cursor rules above. */
  list(query: KvListQuery): Promise<KvListPage>;
  /** Releases files and handles. Every other method rejects after this; closing twice is fine. */
  close(): Promise<void>;
}
