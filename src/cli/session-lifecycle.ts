/**
 * What `hearth dev` and `hearth pages dev` both do around a running session: apply a new plan
 * when the config or `.dev.vars` changes (a bad edit keeps the old one), and shut down on the
 * first SIGINT/SIGTERM (a second one exits at once).
 */
import fs from "node:fs";
import type { Logger } from "../shared/log.js";

const RELOAD_DEBOUNCE_MS = 100;
const WATCH_POLL_MS = 300;

/** Runs `replan` (debounced) whenever one of `files` changes; its error is logged and the old plan kept. */
export function replanOnChange(files: readonly string[], replan: () => Promise<void>, logger: Logger): void {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      replan().catch((error: unknown) => logger.error(`${(error as Error).message}\nStill serving the previous configuration.`));
    }, RELOAD_DEBOUNCE_MS);
  };
  for (const file of files) fs.watchFile(file, { interval: WATCH_POLL_MS }, (curr, prev) => curr.mtimeMs !== prev.mtimeMs && reload());
}

/** On the first SIGINT/SIGTERM runs `shutdown`, then exits 0; a second signal exits 1 at once. */
export function stopOnSignal(shutdown: () => Promise<unknown>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return process.exit(1);
    stopping = true;
    void shutdown()
      .catch(() => undefined)
      .then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
