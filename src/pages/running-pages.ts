/**
 * A planned Pages project brought to life: the asset server on the main thread, and, when the
 * project has code, a RunningWorker for `_worker.js` or for the bundle of `./functions`. In watch
 * mode a change under `functions/` scans the folder again; when the route table changes, the
 * generated entry is rewritten, which makes the Worker's build watcher rebuild and swap.
 */
import fs from "node:fs";
import path from "node:path";
import { AssetServer } from "../bindings/assets/index.js";
import { RunningWorker } from "../runtime/running-worker.js";
import type { ServiceRouter } from "../runtime/service-router.js";
import type { Logger } from "../shared/log.js";
import { compileRoutes, type CompiledRoute } from "./functions/chain.js";
import { functionsEntrySource } from "./functions/entry.js";
import type { RouteConfig } from "./functions/route-config.js";
import { scanFunctions } from "./functions/scan.js";
import { PagesTarget } from "./pages-target.js";
import type { PagesPlan } from "./plan.js";
import { RoutesJsonFile } from "./routes-json-file.js";
import { ALL_TO_WORKER } from "./routes-json.js";

export interface RunningPagesOptions {
  logger: Logger;
  /** Rebuild on source changes and rescan `functions/` on changes there. */
  watch: boolean;
  /** Called after each successful swap to a new build (live reload listens here). */
  onReload?: () => void;
  /** Where the Functions' service bindings lead. */
  router?: ServiceRouter;
}

const RESCAN_DEBOUNCE_MS = 50;

export class RunningPages {
  readonly target: PagesTarget;
  private assets: AssetServer;
  private routesFile: RoutesJsonFile | undefined;
  private worker: RunningWorker | undefined;
  private routes: CompiledRoute<string>[] | undefined;
  private entrySource = "";
  private functionsWatcher: fs.FSWatcher | undefined;
  /** Scans run one after another. */
  private scanning: Promise<void> = Promise.resolve();

  private constructor(
    public plan: PagesPlan,
    private readonly options: RunningPagesOptions,
  ) {
    this.assets = this.assetServer(plan);
    this.target = new PagesTarget({
      assets: () => this.assets,
      worker: () => this.worker?.service,
      routes: () => this.routes,
      routesFilter: () => this.routesFile?.current() ?? ALL_TO_WORKER,
    });
  }

  static async start(plan: PagesPlan, options: RunningPagesOptions): Promise<RunningPages> {
    const pages = new RunningPages(plan, options);
    try {
      await pages.startCode();
    } catch (error) {
      await pages.dispose();
      throw error;
    }
    return pages;
  }

  /** Applies a new plan (config or .dev.vars changed). */
  async replan(plan: PagesPlan): Promise<void> {
    const previous = this.plan;
    this.plan = plan;
    if (plan.directory !== previous.directory) this.assets = this.assetServer(plan);
    if (JSON.stringify(plan.mode) !== JSON.stringify(previous.mode) || plan.directory !== previous.directory) {
      await this.stopCode();
      await this.startCode();
    } else if (this.worker) {
      await this.worker.replan(plan.worker);
    }
  }

  async dispose(): Promise<void> {
    await this.stopCode();
  }

  private assetServer(plan: PagesPlan): AssetServer {
    return new AssetServer({ directory: plan.directory, warn: (message) => this.options.logger.warn(message) });
  }

  private async startCode(): Promise<void> {
    const { mode } = this.plan;
    if (mode.kind === "assets") return;
    this.routesFile = new RoutesJsonFile(this.plan.directory, this.options.logger);
    if (mode.kind === "advanced") {
      this.routes = undefined;
      this.worker = await this.startWorker();
      return;
    }
    await this.applyRoutes(await scanFunctions(mode.functionsDir));
    if (this.options.watch) this.watchFunctions(mode.functionsDir);
  }

  private async stopCode(): Promise<void> {
    this.functionsWatcher?.close();
    this.functionsWatcher = undefined;
    await this.scanning;
    const worker = this.worker;
    this.worker = undefined;
    this.routes = undefined;
    this.routesFile = undefined;
    this.entrySource = "";
    await worker?.dispose();
  }

  private startWorker(): Promise<RunningWorker> {
    const { logger, watch, onReload, router } = this.options;
    return RunningWorker.start(this.plan.worker, { logger, watch, onReload, router });
  }

  /** Writes the entry for a new route table and starts or stops the Worker as needed. */
  private async applyRoutes(table: RouteConfig[]): Promise<void> {
    const { mode } = this.plan;
    if (mode.kind !== "functions") return;
    if (table.length === 0) {
      this.options.logger.warn(`No routes found when building Functions directory: ${displayPath(mode.functionsDir)}`);
      this.routes = [];
      const worker = this.worker;
      this.worker = undefined;
      this.entrySource = "";
      await worker?.dispose();
      return;
    }
    const source = functionsEntrySource(mode.functionsDir, table);
    if (source !== this.entrySource) {
      fs.mkdirSync(path.dirname(mode.entry), { recursive: true });
      fs.writeFileSync(mode.entry, source);
      this.entrySource = source;
    }
    const routes = compileRoutes(
      table.map((route) => ({ routePath: route.routePath, mountPath: route.mountPath, method: route.method, middlewares: route.middleware ?? [], modules: route.module ?? [] })),
    );
    if (!this.worker) this.worker = await this.startWorker();
    this.routes = routes;
  }

  private watchFunctions(functionsDir: string): void {
    let timer: NodeJS.Timeout | undefined;
    const rescan = () => {
      this.scanning = this.scanning.then(async () => {
        if (this.plan.mode.kind !== "functions" || this.functionsWatcher === undefined) return;
        try {
          await this.applyRoutes(await scanFunctions(functionsDir));
        } catch (error) {
          this.options.logger.error(`${(error as Error).message}\nStill serving the previous Functions.`);
        }
      });
    };
    this.functionsWatcher = fs.watch(functionsDir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(rescan, RESCAN_DEBOUNCE_MS);
    });
    this.functionsWatcher.on("error", (error) => this.options.logger.warn(`Stopped watching ${functionsDir}: ${error.message}`));
  }
}

function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative.startsWith("..") || path.isAbsolute(relative) ? dir : `./${relative}`;
}
