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
import type { ServiceRouter } from "./service-router.js";
import { WorkerService } from "./worker-service.js";

export interface RunningWorkerOptions {
  logger: Logger;
  /** Rebuild and swap when a source file changes. */
  watch: boolean;
  /** Called after each successful swap to a new build or plan (live reload listens here). */
  onReload?: () => void;
  /** Where the Worker's service bindings lead. */
  router?: ServiceRouter;
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
    let watcher: WatchHandle | undefined;
    try {
      let bundle: Bundle;
      if (options.watch) {
        let worker: RunningWorker | undefined;
        watcher = await watchWorker({ ...plan.bundle, outDir }, (result) => void worker?.onRebuild(result));
        bundle = watcher.initial;
        const service = await WorkerService.start(serviceOptions(plan, options), bundle);
        worker = new RunningWorker(plan, service, outDir, options);
        worker.watcher = watcher;
        return worker;
      }
      bundle = await bundleWorker({ ...plan.bundle, outDir });
      return new RunningWorker(plan, await WorkerService.start(serviceOptions(plan, options), bundle), outDir, options);
    } catch (error) {
      await watcher?.dispose();
      fs.rmSync(outDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Applies a new plan: rebuild with its options, swap the isolate with its bindings. */
  async replan(plan: WorkerPlan): Promise<void> {
    const bundle = await bundleWorker({ ...plan.bundle, outDir: this.outDir });
    await this.service.swap(bundle, serviceOptions(plan, this.options));
    this.plan = plan;
    this.options.onReload?.();
    if (this.options.watch) {
      await this.watcher?.dispose();
      // Its first build repeats the one just swapped in; only later changes matter.
      this.watcher = await watchWorker({ ...plan.bundle, outDir: this.outDir }, (result) => void this.onRebuild(result));
    }
  }

  async dispose(): Promise<void> {
    await this.watcher?.dispose();
    await this.service.dispose();
    fs.rmSync(this.outDir, { recursive: true, force: true });
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
      this.options.onReload?.();
    } catch (error) {
      logger.error(`${(error as Error).message}\nStill serving the last good build.`);
    }
  }
}

function serviceOptions(plan: WorkerPlan, { logger, router }: RunningWorkerOptions) {
  return {
    name: plan.name,
    bindings: plan.bindings,
    hostedClasses: plan.durableObjectClasses,
    compatibilityDate: plan.compatibilityDate,
    compatibilityFlags: plan.compatibilityFlags,
    stateRoot: plan.stateRoot,
    limits: plan.limits,
    logger,
    router,
  };
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 40);
}
