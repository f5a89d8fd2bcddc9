/**
 * The Pages asset server (api-surface.md 2.3): `_redirects`, then HTML handling (pretty URLs,
 * 308s to the canonical form), the nearest `404.html` or the single-page-app fallback, ETags and
 * 304s, the default headers, then `_headers`. It answers with a plain AssetResult that the main
 * thread writes to a socket and an isolate turns into a Response (see ./api.worker.ts).
 *
 * Synchronous on purpose: a lookup is a few `stat` calls, and the same code serves both threads.
 */
import { AssetDirectory, type AssetFile } from "./files.js";
import { RuleFiles } from "./rule-files.js";
import { applyHeaderRules } from "./headers-file.js";
import { matchRedirect } from "./redirects-file.js";

/** null for HEAD requests and for statuses without a body (304, 308, 405 ...). */
export type AssetBody = null | { kind: "file"; path: string; size: number } | { kind: "text"; text: string };

export interface AssetResult {
  status: number;
  statusText: string;
  headers: Headers;
  body: AssetBody;
}

/** What the asset server reads of a request. */
export interface AssetRequest {
  method: string;
  /** Absolute URL; its host only matters to absolute `_headers` / `_redirects` rules. */
  url: string;
  headers: { get(name: string): string | null };
}

export interface AssetServerOptions {
  directory: string;
  /** Where warnings about `_headers` / `_redirects` lines go (default: dropped). */
  warn?: (message: string) => void;
}

const CACHE_CONTROL_BROWSER = "public, max-age=0, must-revalidate";
const REDIRECT_STATUS_TEXT: Record<number, string> = {
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
};

export class AssetServer {
  readonly files: AssetDirectory;
  private readonly rules: RuleFiles;

  constructor(options: AssetServerOptions) {
    this.files = new AssetDirectory(options.directory);
    this.rules = new RuleFiles(this.files.root, options.warn ?? (() => {}));
  }

  serve(request: AssetRequest): AssetResult {
    const url = new URL(request.url);
    const { headerRules, redirectRules } = this.rules.current();
    const result = this.respond(request, url, redirectRules);
    return this.withHeaders(result, url, headerRules);
  }

  private respond(request: AssetRequest, url: URL, redirectRules: ReturnType<RuleFiles["current"]>["redirectRules"]): AssetResult {
    const { search } = url;
    let pathname = url.pathname;
    const match = matchRedirect(redirectRules, url);
    if (match) {
      if (match.status === 200) {
        // A rewrite: serve another path under the same URL.
        pathname = new URL(match.to, url).pathname;
      } else {
        const destination = new URL(match.to, url);
        const location =
          destination.origin === url.origin
            ? `${destination.pathname}${destination.search || search}${destination.hash}`
            : `${destination.href}${destination.search ? "" : search}${destination.hash}`;
        return redirect(match.status, location, false);
      }
    }

    if (!/^(get|head)$/i.test(request.method)) return plain(405, "Method Not Allowed");

    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // Not valid percent-encoding: look it up as it is.
    }
    const find = (p: string) => this.files.find(p);
    let file: AssetFile | null;

    if (pathname.endsWith("/")) {
      if ((file = find(`${pathname}index.html`))) return this.ok(request, file);
      if (pathname.endsWith("/index/")) return redirect(308, `/${pathname.slice(1, -"index/".length)}${search}`);
      if ((file = find(pathname.replace(/\/$/, ".html")))) return redirect(308, `/${pathname.slice(1, -1)}${search}`);
      return this.notFound(request, pathname);
    }

    if ((file = find(pathname))) {
      if (!pathname.endsWith(".html")) return this.ok(request, file);
      const extensionless = pathname.slice(0, -".html".length);
      if (extensionless.endsWith("/index")) return redirect(308, `${extensionless.replace(/\/index$/, "/")}${search}`);
      if (find(extensionless) || extensionless === "/") return this.ok(request, file);
      return redirect(308, `${extensionless}${search}`);
    }
    if (pathname.endsWith("/index")) return redirect(308, `/${pathname.slice(1, -"index".length)}${search}`);
    if ((file = find(`${pathname}.html`))) return this.ok(request, file);
    if (find(`${pathname}/index.html`)) return redirect(308, `${pathname}/${search}`);
    return this.notFound(request, pathname);
  }

  private ok(request: AssetRequest, file: AssetFile): AssetResult {
    const encodings = parseQualityList(request.headers.get("accept-encoding") ?? "");
    if (encodings["identity"] === 0 || (encodings["*"] === 0 && encodings["identity"] === undefined)) return plain(406, "Not Acceptable");
    const ifNoneMatch = request.headers.get("if-none-match");
    if (ifNoneMatch === file.etag || ifNoneMatch === `W/${file.etag}`) return plain(304, "Not Modified");
    const headers = new Headers({ etag: file.etag, "content-type": file.contentType });
    if (!request.headers.get("authorization") && !request.headers.get("range")) headers.append("cache-control", CACHE_CONTROL_BROWSER);
    const body = request.method.toUpperCase() === "HEAD" ? null : ({ kind: "file", path: file.path, size: file.size } as const);
    return { status: 200, statusText: "OK", headers, body };
  }

  /** The nearest `404.html` walking up from the path; else the SPA fallback `/index.html`; else an empty 404. */
  private notFound(request: AssetRequest, pathname: string): AssetResult {
    let dir = pathname;
    while (dir) {
      dir = dir.slice(0, dir.lastIndexOf("/"));
      const page = this.files.find(`${dir}/404.html`);
      if (page) {
        const headers = new Headers({ "content-type": page.contentType, "cache-control": "no-store" });
        const body = request.method.toUpperCase() === "HEAD" ? null : ({ kind: "file", path: page.path, size: page.size } as const);
        return { status: 404, statusText: "Not Found", headers, body };
      }
    }
    const index = this.files.find("/index.html");
    if (index) return this.ok(request, index);
    return { status: 404, statusText: "Not Found", headers: new Headers({ "cache-control": "no-store" }), body: null };
  }

  /** Pages' default headers on every asset response, then the `_headers` rules. */
  private withHeaders(result: AssetResult, url: URL, headerRules: ReturnType<RuleFiles["current"]>["headerRules"]): AssetResult {
    const { headers } = result;
    headers.set("access-control-allow-origin", "*");
    headers.set("referrer-policy", "strict-origin-when-cross-origin");
    if (headers.has("content-type")) headers.set("x-content-type-options", "nosniff");
    applyHeaderRules(headerRules, url, headers);
    return result;
  }
}

function plain(status: number, statusText: string): AssetResult {
  return { status, statusText, headers: new Headers(), body: null };
}

/**
 * A redirect as the Pages asset server sends it: 308 without a body, the others with
 * "Redirecting to <location>". Locations the server makes itself lose leading slashes that would
 * turn them into protocol-relative URLs (an open redirect); `_redirects` targets are kept as written.
 */
function redirect(status: number, location: string, stripLeadingSlashes = true): AssetResult {
  const target = stripLeadingSlashes ? location.replace(/^(\/|%2F|%2f|%5C|%5c|%09|\s|\\)+(.*)/, "/$2") : location;
  const headers = new Headers({ location: target });
  if (status === 308) return { status, statusText: REDIRECT_STATUS_TEXT[status]!, headers, body: null };
  headers.set("content-type", "text/plain;charset=UTF-8");
  return { status, statusText: REDIRECT_STATUS_TEXT[status] ?? "Found", headers, body: { kind: "text", text: `Redirecting to ${target}` } };
}

/** "gzip, br;q=0.5" → { gzip: 1, br: 0.5 }. */
function parseQualityList(list: string): Record<string, number> {
  const items: Record<string, number> = {};
  for (const element of list.replace(/\s/g, "").split(",")) {
    const [item, weight] = element.split(";q=");
    if (item) items[item] = weight ? parseFloat(weight) : 1;
  }
  return items;
}
