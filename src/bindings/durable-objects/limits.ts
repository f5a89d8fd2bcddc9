/**
 * Durable Object lifecycle constants. https://developers.cloudflare.com/durable-objects/platform/limits/
 * and https://developers.cloudflare.com/durable-objects/api/alarms/
 */

/** An object with no event for this long is evicted from memory (Cloudflare: 70-140 s). */
export const IDLE_EVICTION_MS = 70_000;
/** How often idle objects are looked for. */
export const EVICTION_SWEEP_MS = 10_000;
/** A throwing alarm() is retried this many times... */
export const ALARM_MAX_RETRIES = 6;
/** ...with exponential backoff starting here. */
export const ALARM_FIRST_RETRY_DELAY_MS = 2_000;
/** Node timers cannot wait longer than this; later alarms are re-armed when it passes. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
