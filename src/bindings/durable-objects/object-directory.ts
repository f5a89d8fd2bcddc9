/**
 * What a class's engine remembers about its objects across restarts, in `<dir>/directory.sqlite`:
 * the name an object was first reached by (so `ctx.id.name` is known even when a later stub came
 * from `idFromString`), and each pending alarm (so alarms fire after a restart without opening
 * every object's database).
 */
import { openSqlite, type SqliteDatabase } from "../../shared/sqlite.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  id    TEXT PRIMARY KEY,  -- 64 hex digits
  name  TEXT,              -- the idFromName name, when known
  alarm INTEGER            -- pending alarm, epoch milliseconds; NULL = none
)`;

export interface PendingAlarm {
  id: string;
  name: string | undefined;
  time: number;
}

export class ObjectDirectory {
  private readonly db: SqliteDatabase;
  private readonly statements;

  constructor(file: string) {
    this.db = openSqlite(file);
    // WAL with synchronous=NORMAL loses nothing to a process crash, and spares every first touch
    // of an object an fsync. A power loss could drop the newest rows: a name then reads as unknown,
    // and an alarm is re-armed when its object is next opened (the object's own file has it).
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.statements = {
      name: this.db.prepare<[string], { name: string | null }>("SELECT name FROM objects WHERE id = ?"),
      remember: this.db.prepare("INSERT INTO objects (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = coalesce(objects.name, excluded.name)"),
      alarm: this.db.prepare("INSERT INTO objects (id, alarm) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET alarm = excluded.alarm"),
      pending: this.db.prepare<[], { id: string; name: string | null; alarm: number }>("SELECT id, name, alarm FROM objects WHERE alarm IS NOT NULL"),
    };
  }

  nameOf(id: string): string | undefined {
    return this.statements.name.get(id)?.name ?? undefined;
  }

  remember(id: string, name: string | undefined): void {
    this.statements.remember.run(id, name ?? null);
  }

  setAlarm(id: string, time: number | null): void {
    this.statements.alarm.run(id, time);
  }

  pendingAlarms(): PendingAlarm[] {
    return this.statements.pending.all().map((row) => ({ id: row.id, name: row.name ?? undefined, time: row.alarm }));
  }

  close(): void {
    this.db.close();
  }
}
