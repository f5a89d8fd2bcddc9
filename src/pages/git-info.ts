/**
 * The `CF_PAGES*` vars `wrangler pages dev` sets (api-surface.md 0.4): the git branch and commit
 * of the project folder when it is in a git repository, else wrangler's local placeholders.
 */
import { execFileSync } from "node:child_process";

export const LOCAL_BRANCH = "local";
export const PLACEHOLDER_COMMIT_SHA = "0".repeat(40);
const GIT_TIMEOUT_MS = 2000;

function git(cwd: string, args: string[]): string | undefined {
  try {
    const out = execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"], timeout: GIT_TIMEOUT_MS, encoding: "utf8" }).trim();
    return out === "" ? undefined : out;
  } catch {
    return undefined;
  }
}

/** `CF_PAGES`, `CF_PAGES_BRANCH`, `CF_PAGES_COMMIT_SHA`, `CF_PAGES_URL` for a project folder. */
export function pagesDefaultVars(cwd: string, projectName: string): Record<string, string> {
  const branch = git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]);
  const sha = git(cwd, ["rev-parse", "HEAD"]);
  const commit = sha && /^[0-9a-f]{40}$/.test(sha) ? sha : PLACEHOLDER_COMMIT_SHA;
  return {
    CF_PAGES: "1",
    CF_PAGES_BRANCH: branch && branch !== "HEAD" ? branch : LOCAL_BRANCH,
    CF_PAGES_COMMIT_SHA: commit,
    CF_PAGES_URL: `https://${commit.slice(0, 8)}.${projectName}.pages.dev`,
  };
}
