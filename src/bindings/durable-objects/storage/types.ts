/**
 * The storage types user code sees, as declared by @cloudflare/workers-types (index.d.ts:
 * DurableObjectStorage, DurableObjectTransaction, SqlStorage, SqlStorageCursor, SyncKvStorage and
 * their option dictionaries). Declared here because that package is ambient-only.
 */
import type { ListOptionsLike } from "./kv-arguments.js";

export interface DurableObjectGetOptions {
  allowConcurrency?: boolean;
  noCache?: boolean;
}

export interface DurableObjectGetAlarmOptions {
  allowConcurrency?: boolean;
}

export interface DurableObjectPutOptions {
  allowConcurrency?: boolean;
  allowUnconfirmed?: boolean;
  noCache?: boolean;
}

export interface DurableObjectSetAlarmOptions {
  allowConcurrency?: boolean;
  allowUnconfirmed?: boolean;
}

export interface DurableObjectListOptions extends ListOptionsLike {
  allowConcurrency?: boolean;
  noCache?: boolean;
}

/** The operations `ctx.storage` and a transaction's `txn` share. */
export interface DurableObjectKvOperations {
  get<T = unknown>(key: string, options?: DurableObjectGetOptions): Promise<T | undefined>;
  get<T = unknown>(keys: string[], options?: DurableObjectGetOptions): Promise<Map<string, T>>;
  list<T = unknown>(options?: DurableObjectListOptions): Promise<Map<string, T>>;
  put<T>(key: string, value: T, options?: DurableObjectPutOptions): Promise<void>;
  put<T>(entries: Record<string, T>, options?: DurableObjectPutOptions): Promise<void>;
  delete(key: string, options?: DurableObjectPutOptions): Promise<boolean>;
  delete(keys: string[], options?: DurableObjectPutOptions): Promise<number>;
  getAlarm(options?: DurableObjectGetAlarmOptions): Promise<number | null>;
  setAlarm(scheduledTime: number | Date, options?: DurableObjectSetAlarmOptions): Promise<void>;
  deleteAlarm(options?: DurableObjectSetAlarmOptions): Promise<void>;
}

export interface DurableObjectTransactionLike extends DurableObjectKvOperations {
  rollback(): void;
  deleteAll(): never;
}

export type SqlStorageValue = ArrayBuffer | string | number | null;

export interface SqlStorageCursorLike<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>> {
  next(): { done?: false; value: T } | { done: true; value?: never };
  toArray(): T[];
  one(): T;
  raw<U extends SqlStorageValue[]>(): IterableIterator<U>;
  readonly columnNames: string[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
  [Symbol.iterator](): IterableIterator<T>;
}

export interface SqlStorageLike {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursorLike<T>;
  readonly databaseSize: number;
  /** The cursor class (for `instanceof`). */
  readonly Cursor: abstract new (...args: never[]) => SqlStorageCursorLike;
}

export interface SyncKvStorageLike {
  get<T = unknown>(key: string): T | undefined;
  list<T = unknown>(options?: ListOptionsLike): Iterable<[string, T]>;
  put<T>(key: string, value: T): void;
  delete(key: string): boolean;
}

export interface DurableObjectStorageLike extends DurableObjectKvOperations {
  deleteAll(options?: DurableObjectPutOptions): Promise<void>;
  transaction<T>(closure: (txn: DurableObjectTransactionLike) => Promise<T>): Promise<T>;
  transactionSync<T>(closure: () => T): T;
  sync(): Promise<void>;
  readonly sql: SqlStorageLike;
  readonly kv: SyncKvStorageLike;
  getCurrentBookmark(): Promise<string>;
  getBookmarkForTime(timestamp: number | Date): Promise<string>;
  onNextSessionRestoreBookmark(bookmark: string): Promise<string>;
}
