/**
 * Resource limits for an isolate, and the policy that supplies them. `dev` and a future `serve`
 * differ only in the policy they pass. Defaults follow Cloudflare's Workers limits:
 * https://developers.cloudflare.com/workers/platform/limits/
 */

/** Memory per isolate on Cloudflare. */
export const DEFAULT_MEMORY_LIMIT_MB = 128;
/** Default CPU time per invocation on the Standard plan (`limits.cpu_ms` raises or lowers it). */
export const DEFAULT_CPU_LIMIT_MS = 30_000;
/**
 * Outbound `fetch()` calls (each redirect hop counts) and `new WebSocket()` connections per
 * invocation on the paid plans; `limits.subrequests` sets another value, up to
 * MAX_SUBREQUEST_LIMIT. Binding calls do not count.
 * https://developers.cloudflare.com/workers/platform/limits/#subrequests
 */
export const DEFAULT_SUBREQUEST_LIMIT = 10_000;
export const MAX_SUBREQUEST_LIMIT = 10_000_000;
/**
 * V8 young-generation size of an isolate. Small keeps a busy isolate's memory low; measured with
 * the bench harness to cost little throughput (bench/RESULTS.md).
 */
export const ISOLATE_YOUNG_GENERATION_MB = 6;
/** How often an isolate proves its event loop is turning. Sets the precision of the CPU check. */
export const HEARTBEAT_INTERVAL_MS = 25;

export interface IsolateLimits {
  /** Longest an isolate may keep its event loop blocked while it has work in flight. */
  cpuMs: number;
  /** V8 old-generation heap limit for the isolate. */
  memoryMb: number;
  /** Outbound subrequests one invocation may make. */
  subrequests: number;
}

export function resolveLimits(config: { cpuMs?: number; memoryMb?: number; subrequests?: number }): IsolateLimits {
  return {
    cpuMs: config.cpuMs ?? DEFAULT_CPU_LIMIT_MS,
    memoryMb: config.memoryMb ?? DEFAULT_MEMORY_LIMIT_MB,
    subrequests: Math.min(Math.max(Math.floor(config.subrequests ?? DEFAULT_SUBREQUEST_LIMIT), 0), MAX_SUBREQUEST_LIMIT),
  };
}
