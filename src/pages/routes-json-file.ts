/**
 * The `_routes.json` of an asset folder, read again whenever it changes (one `stat` per request).
 * At start an invalid file is fatal; after an edit it is reported and every path goes to the
 * Worker until the file is fixed (as `wrangler pages dev`).
 */
import fs from "node:fs";
import path from "node:path";
import { HearthError } from "../shared/errors.js";
import { fileStamp } from "../shared/file-stamp.js";
import type { Logger } from "../shared/log.js";
import { ALL_TO_WORKER, parseRoutesJson, routesFilter, type RoutesFilter } from "./routes-json.js";

export class RoutesJsonFile {
  readonly file: string;
  private stamp = "";
  private filter: RoutesFilter = ALL_TO_WORKER;

  /** Reads the file now; throws a HearthError naming it when it is invalid. */
  constructor(
    directory: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(directory, "_routes.json");
    try {
      this.refresh(true);
    } catch (error) {
      throw new HearthError("ERR_CONFIG_INVALID", `Could not validate _routes.json at ${directory}: ${(error as Error).message}`, { file: this.file }, { cause: error });
    }
  }

  /** The current filter; all paths go to the Worker when there is no valid file. */
  current(): RoutesFilter {
    try {
      this.refresh(false);
    } catch (error) {
      this.logger.error(`${(error as Error).message}\nFalling back to {"version":1,"include":["/*"],"exclude":[]} until _routes.json is fixed.`);
      this.filter = ALL_TO_WORKER;
    }
    return this.filter;
  }

  private refresh(initial: boolean): void {
    const stamp = fileStamp(this.file);
    if (stamp === this.stamp && !initial) return;
    this.stamp = stamp;
    // No file: everything goes to the Worker.
    this.filter = stamp === "" ? ALL_TO_WORKER : routesFilter(parseRoutesJson(fs.readFileSync(this.file, "utf8"), this.file));
  }
}
