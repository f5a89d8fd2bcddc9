/**
 * `SqlStorageCursor`: the result of `sql.exec()`. Rows are read when `exec()` runs (so a cursor
 * never holds the connection, and any error surfaces from `exec()`, as in workerd, whose first step
 * runs there too); the cursor hands them out. `next()`, iteration, `toArray()`, `one()` and `raw()`
 * share one position.
 */
import { storageError } from "./errors.js";
import type { SqlStorageValue } from "./types.js";

export interface SqlResult {
  columnNames: string[];
  /** Each row's values in column order (BLOBs already ArrayBuffers). */
  rows: SqlStorageValue[][];
  rowsRead: number;
  rowsWritten: number;
}

type Row = Record<string, SqlStorageValue>;

export class SqlStorageCursor {
  readonly #result: SqlResult;
  #position = 0;

  constructor(result: SqlResult) {
    this.#result = result;
  }

  /** The next row as an object keyed by column name (a repeated name keeps its last value). */
  next(): { done: false; value: Row } | { done: true; value?: never } {
    const values = this.#take();
    return values === undefined ? { done: true } : { done: false, value: this.#toRow(values) };
  }

  /** Every remaining row. */
  toArray(): Row[] {
    const rows: Row[] = [];
    for (let values = this.#take(); values !== undefined; values = this.#take()) rows.push(this.#toRow(values));
    return rows;
  }

  /** The only remaining row; throws when there is none or more than one. */
  one(): Row {
    const values = this.#take();
    if (values === undefined) throw storageError("Error", "Expected exactly one result from SQL query, but got no results.");
    if (this.#position < this.#result.rows.length) {
      this.#position = this.#result.rows.length;
      throw storageError("Error", "Expected exactly one result from SQL query, but got multiple results.");
    }
    return this.#toRow(values);
  }

  /** An iterator over the remaining rows as arrays of values, sharing this cursor's position. */
  *raw(): IterableIterator<SqlStorageValue[]> {
    for (let values = this.#take(); values !== undefined; values = this.#take()) yield values;
  }

  *[Symbol.iterator](): IterableIterator<Row> {
    for (let values = this.#take(); values !== undefined; values = this.#take()) yield this.#toRow(values);
  }

  get columnNames(): string[] {
    return this.#result.columnNames;
  }

  get rowsRead(): number {
    return this.#result.rowsRead;
  }

  get rowsWritten(): number {
    return this.#result.rowsWritten;
  }

  #take(): SqlStorageValue[] | undefined {
    const rows = this.#result.rows;
    return this.#position < rows.length ? rows[this.#position++] : undefined;
  }

  #toRow(values: SqlStorageValue[]): Row {
    const row: Row = {};
    const names = this.#result.columnNames;
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
    return row;
  }
}
