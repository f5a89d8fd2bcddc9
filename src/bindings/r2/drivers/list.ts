/**
 * `list()` over the r2_objects table: keys in UTF-8 byte order, a prefix as a range scan, and
 * delimited prefixes found by seeking past each group (one query per group, never a scan of it).
 *
 * A cursor is the base64url of the smallest key the next page may start at (inclusive), so it is
 * the successor of the last key returned, or the first key after the last delimited prefix.
 */
import { Buffer } from "node:buffer";
import { prefixUpperBound } from "../../../shared/bytes.js";
import type { R2ListQuery } from "../store.js";
import type { ObjectRow, Statements } from "./sqlite-schema.js";

/** No UTF-8 key starts with byte 0xFF, so this sorts after every key. */
const AFTER_ALL_KEYS: Buffer = Buffer.from([0xff]);
/** Rows fetched per query beyond what the page still needs, so a few groups cost one query. */
const EXTRA_ROWS = 16;

export interface RawListPage {
  objects: ObjectRow[];
  delimitedPrefixes: string[];
  cursor?: string;
}

export function listPage(stmts: Statements, query: R2ListQuery): RawListPage {
  const prefix: Buffer = Buffer.from(query.prefix ?? "", "utf8");
  const upper: Buffer = prefixUpperBound(prefix) ?? AFTER_ALL_KEYS;
  const delimiter = query.delimiter ? Buffer.from(query.delimiter, "utf8") : null;
  let lower: Buffer = prefix;
  if (query.startAfter !== undefined) lower = maxBytes(lower, successor(Buffer.from(query.startAfter, "utf8")));
  if (query.cursor) lower = maxBytes(lower, Buffer.from(query.cursor, "base64url"));

  const objects: ObjectRow[] = [];
  const delimitedPrefixes: string[] = [];
  let entries = 0;
  let exhausted = false;
  while (entries < query.limit && !exhausted) {
    const want = query.limit - entries;
    const rows = stmts.listFrom.all(lower, upper, want + EXTRA_ROWS) as ObjectRow[];
    if (rows.length < want + EXTRA_ROWS) exhausted = true;
    for (const row of rows) {
      if (entries === query.limit) {
        exhausted = false;
        break;
      }
      const cut = delimiter === null ? -1 : row.key.indexOf(delimiter, prefix.length);
      if (cut === -1) {
        objects.push(row);
        entries++;
        lower = successor(row.key);
        continue;
      }
      const group = row.key.subarray(0, cut + delimiter!.length);
      delimitedPrefixes.push(group.toString("utf8"));
      entries++;
      lower = prefixUpperBound(group) ?? AFTER_ALL_KEYS;
      exhausted = false; // the rows after this one may be in the group: query again past it
      break;
    }
  }
  const more = entries === query.limit && stmts.anyFrom.get(lower, upper) !== undefined;
  return more ? { objects, delimitedPrefixes, cursor: lower.toString("base64url") } : { objects, delimitedPrefixes };
}

/** The smallest byte string after `key`: the key followed by a zero byte. */
function successor(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

function maxBytes(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) >= 0 ? a : b;
}
