/**
 * The `cloudflare:workers` module as user code imports it. The bundler maps the import to a
 * virtual module that re-exports the object built here (see bundle.ts), so `env` and the classes
 * are the very objects the isolate uses.
 */

/** Base class for a named or default entrypoint reachable over service bindings and RPC. */
export class WorkerEntrypoint<Env = unknown, Props = unknown> {
  protected ctx: ExecutionContextLike<Props>;
  protected env: Env;
  constructor(ctx: ExecutionContextLike<Props>, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/** What Durable Object and Workflow classes share: the `ctx` and `env` they were made with. */
class StatefulEntrypoint<Env> {
  protected ctx: unknown;
  protected env: Env;
  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/** Base class for Durable Object classes; `ctx` is the object's DurableObjectState. */
export class DurableObject<Env = unknown> extends StatefulEntrypoint<Env> {}

/** Base class for Workflows entrypoints. */
export class WorkflowEntrypoint<Env = unknown> extends StatefulEntrypoint<Env> {}

/** Marks a class whose instances are passed by reference over RPC. */
export class RpcTarget {}

export interface ExecutionContextLike<Props = unknown> {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Props;
}

/** The global key the virtual `cloudflare:workers` module reads. */
export const CLOUDFLARE_WORKERS_KEY = Symbol.for("hearth.cloudflare:workers");

export interface CloudflareWorkersModule {
  WorkerEntrypoint: typeof WorkerEntrypoint;
  DurableObject: typeof DurableObject;
  WorkflowEntrypoint: typeof WorkflowEntrypoint;
  RpcTarget: typeof RpcTarget;
  env: Record<string, unknown>;
  waitUntil(promise: Promise<unknown>): void;
}

export function createCloudflareWorkersModule(
  env: Record<string, unknown>,
  waitUntil: (promise: Promise<unknown>) => void,
): CloudflareWorkersModule {
  return { WorkerEntrypoint, DurableObject, WorkflowEntrypoint, RpcTarget, env, waitUntil };
}

/** Source of the virtual module the bundler substitutes for `import ... from "cloudflare:workers"`. */
export const CLOUDFLARE_WORKERS_MODULE_SOURCE = `
const m = globalThis[Symbol.for("hearth.cloudflare:workers")];
export const WorkerEntrypoint = m.WorkerEntrypoint;
export const DurableObject = m.DurableObject;
export const WorkflowEntrypoint = m.WorkflowEntrypoint;
export const RpcTarget = m.RpcTarget;
export const env = m.env;
export const waitUntil = m.waitUntil;
`;
