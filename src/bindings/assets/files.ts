/**
 * The asset folder on disk: finds the file for a URL path, never anything outside the folder,
 * and gives each file a strong ETag (a hash of its bytes, cached while the file is unchanged).
 *
 * A lookup path is the decoded URL pathname. It is refused (no file) when it holds a NUL, a
 * backslash, or a `.`/`..` segment, when it resolves outside the folder, or when its real path
 * (after symlinks) is outside the folder's real path. Files Pages never serves are refused too.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { contentTypeFor } from "./content-type.js";

/** Top-level names of the output folder that are configuration, not assets. */
const RESERVED_TOP_LEVEL = new Set(["_worker.js", "_redirects", "_headers", "_routes.json", "functions"]);
/** Names never served at any depth (api-surface.md 2.3; `.hearth` holds Hearth's own state). */
const NEVER_SERVED = new Set([".DS_Store", "node_modules", ".git", ".wrangler", ".hearth"]);

export interface AssetFile {
  /** Absolute real path of the file. */
  path: string;
  size: number;
  /** Strong ETag, quoted. */
  etag: string;
  contentType: string;
}

interface CachedHash {
  mtimeMs: number;
  size: number;
  ino: number;
  etag: string;
}

export class AssetDirectory {
  readonly root: string;
  private realRoot: string | undefined;
  private readonly hashes = new Map<string, CachedHash>();

  constructor(directory: string) {
    this.root = path.resolve(directory);
  }

  /** The file served at `urlPath` (a decoded pathname such as `/docs/a.html`), or null. */
  find(urlPath: string): AssetFile | null {
    const relative = safeRelativePath(urlPath);
    if (relative === undefined) return null;
    const candidate = path.join(this.root, ...relative);
    let real: string;
    let stat: fs.Stats;
    try {
      real = fs.realpathSync(candidate);
      stat = fs.statSync(real);
    } catch {
      return null;
    }
    if (!stat.isFile() || !isInside(this.rootReal(), real)) return null;
    return { path: real, size: stat.size, etag: this.etagOf(real, stat), contentType: contentTypeFor(real) };
  }

  private rootReal(): string {
    if (this.realRoot === undefined) {
      try {
        this.realRoot = fs.realpathSync(this.root);
      } catch {
        return this.root;
      }
    }
    return this.realRoot;
  }

  private etagOf(file: string, stat: fs.Stats): string {
    const cached = this.hashes.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size && cached.ino === stat.ino) return cached.etag;
    const hash = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 32);
    const etag = `"${hash}"`;
    this.hashes.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, etag });
    return etag;
  }
}

/**
 * The path segments of a lookup path, or undefined when it must not be looked up: not starting
 * with `/`, holding NUL or a backslash, a `.` or `..` segment, or a name Pages never serves.
 */
export function safeRelativePath(urlPath: string): string[] | undefined {
  if (!urlPath.startsWith("/") || urlPath.includes("\0") || urlPath.includes("\\")) return undefined;
  const segments = urlPath.slice(1).split("/");
  for (const segment of segments) {
    if (segment === "." || segment === ".." || NEVER_SERVED.has(segment)) return undefined;
    // On Windows a drive letter (`C:`) in a segment could make the joined path absolute.
    if (process.platform === "win32" && /^[a-zA-Z]:/.test(segment)) return undefined;
  }
  if (segments.length > 0 && RESERVED_TOP_LEVEL.has(segments[0]!)) return undefined;
  if (segments.some((s) => s === "")) {
    // `//x` or `/a//b`: empty segments are not file names.
    if (segments.slice(0, -1).some((s) => s === "")) return undefined;
  }
  return segments.filter((s) => s !== "");
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
