/**
 * `--inspector-port N`: opens Node's inspector for the whole process, so Chrome DevTools or VS Code
 * can attach. Each Worker runs in a worker thread of this process; debuggers that follow Node's
 * worker threads (VS Code does, DevTools through its Node target) reach the Worker's code there.
 */
import inspector from "node:inspector";
import { HearthError } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";

/** Where the inspector listens: loopback only, as wrangler's does. */
const INSPECTOR_HOST = "127.0.0.1";

export function openInspector(port: number, logger: Logger): void {
  let url: string | undefined;
  try {
    inspector.open(port, INSPECTOR_HOST);
    url = inspector.url();
  } catch (error) {
    throw new HearthError("ERR_FLAG", `Could not open the inspector on port ${port}: ${(error as Error).message}`, { flag: "--inspector-port" });
  }
  // A port in use does not throw: Node reports it on stderr and leaves the inspector closed.
  if (url === undefined) throw new HearthError("ERR_FLAG", `Could not open the inspector on port ${port}: the port is in use.`, { flag: "--inspector-port" });
  logger.info(`Debugger listening on ${url}`);
}
