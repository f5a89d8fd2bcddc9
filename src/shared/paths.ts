import path from "node:path";
import { HearthError } from "./errors.js";

/** Default state folder, relative to the project root (the config file's folder, or the cwd). */
export const DEFAULT_STATE_DIR = path.join(".hearth", "state");

/**
 * Resolves the state root: `--persist-to DIR` is taken relative to the cwd (as wrangler does),
 * otherwise `.hearth/state` in the project root.
 */
export function resolveStateRoot(projectRoot: string, persistTo: string | undefined, cwd = process.cwd()): string {
  return persistTo ? path.resolve(cwd, persistTo) : path.join(projectRoot, DEFAULT_STATE_DIR);
}

/**
 * Turns a user-chosen name (namespace id, bucket, database name ...) into one file-name segment.
 * Letters, digits, `-`, `_` and `.` are kept so a person recognises the name on disk; every other
 * byte becomes `%XX`. The result never contains a path separator and is never `.` or `..`.
 */
export function safeFileSegment(name: string): string {
  if (name.length === 0) throw new HearthError("ERR_TRAVERSAL", "an empty name cannot be used as a file name");
  const encoded = encodeURIComponent(name).replace(/[!'()*~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  if (encoded === "." || encoded === "..") return encoded.replace(/\./g, "%2E");
  return encoded;
}

/** The folder for one binding kind's data, e.g. `<root>/kv`. */
export function kindDir(stateRoot: string, kind: string): string {
  return path.join(stateRoot, kind);
}
