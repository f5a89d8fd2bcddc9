/**
 * `_headers` and `_redirects` of an asset folder, parsed once and parsed again whenever a file
 * changes (checked with one `stat` per file per request, so an edit applies to the next request).
 * Invalid lines are reported through `warn`, in wrangler's wording, each time a file is parsed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileStamp } from "../../shared/file-stamp.js";
import { compileHeaderRules, parseHeadersFile, type HeaderRules, type InvalidLine } from "./headers-file.js";
import { compileRedirectRules, parseRedirectsFile, type RedirectRules } from "./redirects-file.js";

interface Watched<T> {
  file: string;
  stamp: string;
  value: T;
}

const NO_REDIRECTS: RedirectRules = { static: new Map(), dynamic: [] };

export class RuleFiles {
  private headers: Watched<HeaderRules>;
  private redirects: Watched<RedirectRules>;

  constructor(
    directory: string,
    private readonly warn: (message: string) => void,
  ) {
    this.headers = { file: path.join(directory, "_headers"), stamp: "", value: [] };
    this.redirects = { file: path.join(directory, "_redirects"), stamp: "", value: NO_REDIRECTS };
  }

  current(): { headerRules: HeaderRules; redirectRules: RedirectRules } {
    this.refresh(this.headers, [], (text) => {
      const parsed = parseHeadersFile(text);
      this.report("header", parsed.rules.length, parsed.invalid);
      return compileHeaderRules(parsed);
    });
    this.refresh(this.redirects, NO_REDIRECTS, (text) => {
      const parsed = parseRedirectsFile(text);
      this.report("redirect", parsed.rules.length, parsed.invalid);
      return compileRedirectRules(parsed);
    });
    return { headerRules: this.headers.value, redirectRules: this.redirects.value };
  }

  private refresh<T>(watched: Watched<T>, empty: T, parse: (text: string) => T): void {
    const stamp = fileStamp(watched.file);
    if (stamp === watched.stamp) return;
    watched.stamp = stamp;
    if (stamp === "") {
      watched.value = empty;
      return;
    }
    try {
      watched.value = parse(fs.readFileSync(watched.file, "utf8"));
    } catch (error) {
      this.warn(`Could not read ${watched.file}: ${(error as Error).message}`);
      watched.value = empty;
    }
  }

  private report(kind: "header" | "redirect", valid: number, invalid: InvalidLine[]): void {
    if (invalid.length === 0) return;
    const lines = [`Found invalid ${kind} lines (${valid} valid ${kind} rule${valid === 1 ? "" : "s"}):`];
    for (const { line, lineNumber, message } of invalid) {
      if (line) lines.push(`  - ${lineNumber ? `#${lineNumber}: ` : ""}${line}`);
      lines.push(`    ${message}`);
    }
    this.warn(lines.join("\n"));
  }
}
