/**
 * The embedded Queues driver: one SQLite database per queue, `<dir>/db.sqlite` (schema below).
 * Bodies are at most 128 KB, so they live in their rows: no blob files, nothing to sweep.
 *
 * Every write is one `BEGIN IMMEDIATE` transaction committed with `synchronous = FULL` (WAL), so
 * a message is on disk before `enqueue` resolves and a crash leaves each batch whole or absent.
 * Producers (isolate threads), the broker (main thread) and `hearth queues` (another process) open
 * the same file; WAL lets them read while one writes, `busy_timeout` makes a writer wait its turn.
 * docs/storage.md ("Queues") describes the layout.
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { systemClock, type Clock } from "../../../shared/clock.js";
import { openSqlite, type SqliteDatabase } from "../../../shared/sqlite.js";
import type {
  QueueContentType,
  QueueMessageInput,
  QueueMessageRecord,
  QueueMetrics,
  QueueReadiness,
  QueueSettlement,
  QueueStats,
  QueueStore,
} from "../store.js";

/** The database file inside a queue folder. */
export const QUEUE_DB_FILE = "db.sqlite";
/** Version of the schema below, kept in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue_messages (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- enqueue order: ready messages are delivered oldest first
  id           TEXT    NOT NULL UNIQUE,           -- the id user code sees: 32 hex digits
  timestamp_ms INTEGER NOT NULL,                  -- send time, milliseconds since the UNIX epoch
  content_type TEXT    NOT NULL,                  -- json | text | bytes | v8: how body was serialised
  body         BLOB    NOT NULL,                  -- the serialised body, at most 128 KB
  visible_ms   INTEGER NOT NULL,                  -- not delivered before this, ms since the epoch (delays, retry delays)
  attempts     INTEGER NOT NULL DEFAULT 0,        -- deliveries so far
  lease_owner  TEXT                               -- the broker that has it in flight; NULL = waiting
);
CREATE INDEX IF NOT EXISTS queue_messages_waiting ON queue_messages (visible_ms) WHERE lease_owner IS NULL;
CREATE INDEX IF NOT EXISTS queue_messages_sent ON queue_messages (timestamp_ms);
CREATE TABLE IF NOT EXISTS queue_counters (
  name  TEXT    NOT NULL PRIMARY KEY,             -- backlog_count | backlog_bytes | dead_lettered | dropped
  value INTEGER NOT NULL                          -- messages (bytes for backlog_bytes): now, or since the queue was created
);
INSERT OR IGNORE INTO queue_counters (name, value) VALUES ('backlog_count', 0), ('backlog_bytes', 0);
-- The backlog counters follow every insert and delete, so metrics never scan the table.
CREATE TRIGGER IF NOT EXISTS queue_messages_added AFTER INSERT ON queue_messages BEGIN
  UPDATE queue_counters SET value = value + 1 WHERE name = 'backlog_count';
  UPDATE queue_counters SET value = value + length(NEW.body) WHERE name = 'backlog_bytes';
END;
CREATE TRIGGER IF NOT EXISTS queue_messages_removed AFTER DELETE ON queue_messages BEGIN
  UPDATE queue_counters SET value = value - 1 WHERE name = 'backlog_count';
  UPDATE queue_counters SET value = value - length(OLD.body) WHERE name = 'backlog_bytes';
END;
`;

const CONTENT_TYPES: ReadonlySet<string> = new Set<QueueContentType>(["json", "text", "bytes", "v8"]);

interface MessageRow {
  id: string;
  timestamp_ms: number;
  content_type: string;
  body: Uint8Array;
  attempts: number;
}

interface MetricsRow {
  count: number;
  bytes: number;
  oldest: number | null;
}

export interface SqliteQueueStoreOptions {
  /** Send times, delays and readiness. Default: the system clock. */
  clock?: Clock;
}

/** Opens (creating if needed) the queue stored in `dir`. */
export function openSqliteQueueStore(dir: string, options: SqliteQueueStoreOptions = {}): QueueStore {
  return new SqliteQueueStore(dir, options.clock ?? systemClock);
}

type Statements = ReturnType<typeof prepareStatements>;

class SqliteQueueStore implements QueueStore {
  readonly #db: SqliteDatabase;
  readonly #clock: Clock;
  readonly #stmts: Statements;
  readonly #enqueue: (messages: readonly QueueMessageInput[], now: number) => MetricsRow;
  readonly #lease: (limit: number, owner: string, now: number) => MessageRow[];
  readonly #settle: (owner: string, settlement: QueueSettlement) => void;
  #closed = false;

  constructor(dir: string, clock: Clock) {
    this.#clock = clock;
    fs.mkdirSync(dir, { recursive: true });
    this.#db = openSqlite(path.join(dir, QUEUE_DB_FILE));
    try {
      migrate(this.#db);
      const stmts = (this.#stmts = prepareStatements(this.#db));
      this.#enqueue = immediate(this.#db, (messages: readonly QueueMessageInput[], now: number) => {
        for (const message of messages) {
          const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
          stmts.insert.run(message.id ?? newMessageId(), message.timestampMs ?? now, message.contentType, body, now + message.delaySeconds * 1000);
        }
        return stmts.metrics.get() as MetricsRow;
      });
      this.#lease = immediate(this.#db, (limit: number, owner: string, now: number) => {
        const seqs = stmts.readySeqs.all(now, limit) as { seq: number }[];
        return seqs.map(({ seq }) => stmts.take.get(owner, seq) as MessageRow);
      });
      this.#settle = immediate(this.#db, (owner: string, s: QueueSettlement) => {
        for (const id of s.acked ?? []) stmts.remove.run(id, owner);
        for (const { id, visibleMs } of s.retried ?? []) stmts.retry.run(visibleMs, id, owner);
        for (const id of s.released ?? []) stmts.release.run(id, owner);
        for (const [counter, ids] of [["dead_lettered", s.deadLettered], ["dropped", s.dropped]] as const) {
          let removed = 0;
          for (const id of ids ?? []) removed += stmts.remove.run(id, owner).changes;
          if (removed > 0) stmts.count.run(counter, removed);
        }
      });
    } catch (e) {
      this.#db.close();
      throw e;
    }
  }

  async enqueue(messages: readonly QueueMessageInput[]): Promise<QueueMetrics> {
    this.#assertOpen();
    return toMetrics(this.#enqueue(messages, this.#clock.now()));
  }

  async metrics(): Promise<QueueMetrics> {
    this.#assertOpen();
    return toMetrics(this.#stmts.metrics.get() as MetricsRow);
  }

  async readiness(limit: number): Promise<QueueReadiness> {
    this.#assertOpen();
    const now = this.#clock.now();
    const readyCount = (this.#stmts.readyCount.get(now, limit) as { n: number }).n;
    const result: QueueReadiness = { readyCount };
    if (readyCount > 0) result.oldestReadyMs = (this.#stmts.oldestReady.get(now) as { t: number }).t;
    const next = (this.#stmts.nextVisible.get(now) as { t: number | null }).t;
    if (next !== null) result.nextVisibleMs = next;
    return result;
  }

  async lease(limit: number, owner: string): Promise<QueueMessageRecord[]> {
    this.#assertOpen();
    return this.#lease(limit, owner, this.#clock.now()).map(toRecord);
  }

  async settle(owner: string, settlement: QueueSettlement): Promise<void> {
    this.#assertOpen();
    this.#settle(owner, settlement);
  }

  async releaseAbandoned(isAlive: (owner: string) => boolean): Promise<number> {
    this.#assertOpen();
    let released = 0;
    for (const { lease_owner: owner } of this.#stmts.owners.all() as { lease_owner: string }[]) {
      if (!isAlive(owner)) released += this.#stmts.releaseOwner.run(owner).changes;
    }
    return released;
  }

  async stats(): Promise<QueueStats> {
    this.#assertOpen();
    const read = this.#db.transaction(() => {
      const now = this.#clock.now();
      const metrics = toMetrics(this.#stmts.metrics.get() as MetricsRow);
      const waiting = this.#stmts.waiting.get(now) as { waiting: number; delayed: number | null };
      const counters = new Map((this.#stmts.counters.all() as { name: string; value: number }[]).map((r) => [r.name, r.value]));
      return {
        ...metrics,
        waiting: waiting.waiting,
        delayed: waiting.delayed ?? 0,
        inFlight: metrics.backlogCount - waiting.waiting,
        deadLettered: counters.get("dead_lettered") ?? 0,
        dropped: counters.get("dropped") ?? 0,
      };
    });
    return read();
  }

  async purge(): Promise<number> {
    this.#assertOpen();
    return this.#stmts.purge.run().changes;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("This queue store has been closed");
  }
}

/** A function that runs `fn` in a `BEGIN IMMEDIATE` transaction (the write lock taken up front). */
function immediate<A extends unknown[], R>(db: SqliteDatabase, fn: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(fn);
  return (...args: A) => transaction.immediate(...args);
}

function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${db.name} was written by a newer Hearth (queue schema version ${version}, this one knows ${SCHEMA_VERSION})`);
    }
    db.exec(SCHEMA);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepareStatements(db: SqliteDatabase) {
  const waiting = "lease_owner IS NULL";
  return {
    insert: db.prepare(
      "INSERT INTO queue_messages (id, timestamp_ms, content_type, body, visible_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ),
    metrics: db.prepare(
      `SELECT (SELECT value FROM queue_counters WHERE name = 'backlog_count') AS count,
              (SELECT value FROM queue_counters WHERE name = 'backlog_bytes') AS bytes,
              (SELECT min(timestamp_ms) FROM queue_messages) AS oldest`,
    ),
    readyCount: db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM queue_messages WHERE ${waiting} AND visible_ms <= ? LIMIT ?)`),
    oldestReady: db.prepare(`SELECT min(visible_ms) AS t FROM queue_messages WHERE ${waiting} AND visible_ms <= ?`),
    nextVisible: db.prepare(`SELECT min(visible_ms) AS t FROM queue_messages WHERE ${waiting} AND visible_ms > ?`),
    readySeqs: db.prepare(`SELECT seq FROM queue_messages WHERE ${waiting} AND visible_ms <= ? ORDER BY seq LIMIT ?`),
    take: db.prepare(
      "UPDATE queue_messages SET lease_owner = ?, attempts = attempts + 1 WHERE seq = ? RETURNING id, timestamp_ms, content_type, body, attempts",
    ),
    remove: db.prepare("DELETE FROM queue_messages WHERE id = ? AND lease_owner = ?"),
    retry: db.prepare("UPDATE queue_messages SET lease_owner = NULL, visible_ms = ? WHERE id = ? AND lease_owner = ?"),
    release: db.prepare("UPDATE queue_messages SET lease_owner = NULL, attempts = max(attempts - 1, 0) WHERE id = ? AND lease_owner = ?"),
    count: db.prepare("INSERT INTO queue_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"),
    owners: db.prepare("SELECT DISTINCT lease_owner FROM queue_messages WHERE lease_owner IS NOT NULL"),
    releaseOwner: db.prepare("UPDATE queue_messages SET lease_owner = NULL WHERE lease_owner = ?"),
    waiting: db.prepare(`SELECT count(*) AS waiting, sum(visible_ms > ?) AS delayed FROM queue_messages WHERE ${waiting}`),
    counters: db.prepare("SELECT name, value FROM queue_counters"),
    purge: db.prepare("DELETE FROM queue_messages"),
  };
}

function toMetrics(row: MetricsRow): QueueMetrics {
  const metrics: QueueMetrics = { backlogCount: row.count, backlogBytes: row.bytes };
  if (row.oldest !== null) metrics.oldestMessageTimestampMs = row.oldest;
  return metrics;
}

function toRecord(row: MessageRow): QueueMessageRecord {
  // The content type comes from the database; refuse anything that is not one of ours.
  if (!CONTENT_TYPES.has(row.content_type)) throw new Error(`The queue database holds an unknown content type ${JSON.stringify(row.content_type)}`);
  return {
    id: row.id,
    timestampMs: row.timestamp_ms,
    contentType: row.content_type as QueueContentType,
    body: plainBytes(row.body),
    attempts: row.attempts,
  };
}

/** A new message id: 16 random bytes in hex, as wrangler's local queues make them. */
function newMessageId(): string {
  return randomBytes(16).toString("hex");
}

/** A plain Uint8Array (not a Node Buffer) spanning exactly its own ArrayBuffer. */
function plainBytes(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && !(buf.buffer instanceof SharedArrayBuffer)) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}
