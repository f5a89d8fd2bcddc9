/**
 * A planned Worker brought to life: built (and, in dev, rebuilt on every change of its sources),
 * served by a WorkerService. A new plan (config or .dev.vars changed) rebuilds with the new
 * options and swaps the isolate; storage is on disk, so nothing stored is lost across swaps.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { WorkerPlan } from "../config/index.js";
import { HearthError } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";
import { bundleWorker, watchWorker, type Bundle, type WatchHandle } from "./bundle.js";
import { WorkerService } from "./worker-service.js";

export interface RunningWorkerOptions {
  logger: Logger;
  /** Rebuild and swap when a source file changes. */
  watch: boolean;
}

export class RunningWorker {
  private watcher: WatchHandle | undefined;

  private constructor(
    public plan: WorkerPlan,
    readonly service: WorkerService,
    private readonly outDir: string,
    private readonly options: RunningWorkerOptions,
  ) {}

  static async start(plan: WorkerPlan, options: RunningWorkerOptions): Promise<RunningWorker> {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-${safeName(plan.name)}-`));
    try {
      const bundle = await bundleWorker({ ...plan.bundle, outDir });
      const service = await WorkerService.start(serviceOptions(plan, options.logger), bundle);
      const worker = new RunningWorker(plan, service, outDir, options);
      if (options.watch) await worker.startWatching();
      return worker;
    } catch (error) {
      fs.rmSync(outDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Applies a new plan: rebuild with its options, swap the isolate with its bindings. */
  async replan(plan: WorkerPlan): Promise<void> {
    const bundle = await bundleWorker({ ...plan.bundle, outDir: this.outDir });
    await this.service.swap(bundle, serviceOptions(plan, this.options.logger));
    this.plan = plan;
    if (this.options.watch) {
      await this.watcher?.dispose();
      await this.startWatching();
    }
  }

  async dispose(): Promise<void> {
    await this.watcher?.dispose();
    await this.service.dispose();
    fs.rmSync(this.outDir, { recursive: true, force: true });
  }

  private async startWatching(): Promise<void> {
    let first = true;
    this.watcher = await watchWorker({ ...this.plan.bundle, outDir: this.outDir }, (result) => {
      // The first build of a watch repeats the one already serving.
      if (first) {
        first = false;
        return;
      }
      void this.onRebuild(result);
    });
  }

  private async onRebuild(result: Bundle | HearthError): Promise<void> {
    const { logger } = this.options;
    if (result instanceof HearthError) {
      logger.error(`${result.message}\nStill serving the last good build.`);
      return;
    }
    try {
      await this.service.swap(result);
      logger.info(`⎔ Reloaded ${this.plan.name}.`);
    } catch (error) {
      logger.error(`${(error as Error).message}\nStill serving the last good build.`);
    }
  }
}

function serviceOptions(plan: WorkerPlan, logger: Logger) {
  return {
    name: plan.name,
    bindings: plan.bindings,
    compatibilityDate: plan.compatibilityDate,
    compatibilityFlags: plan.compatibilityFlags,
    limits: plan.limits,
    logger,
  };
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 40);
}
