/**
 * Cloudflare Queues limits and consumer defaults, one named constant each, a unit in every name.
 *
 * Source for every value unless noted: https://developers.cloudflare.com/queues/platform/limits/
 * ("1 KB is measured as 1000 bytes"), and for the consumer settings
 * https://developers.cloudflare.com/queues/configuration/configure-queues/ (checked against
 * workerd `src/workerd/api/queue.c++` and miniflare `src/workers/queues/broker.worker.ts`).
 * Hearth uses Cloudflare's production defaults, not wrangler's local ones (miniflare delivers
 * batches of 5 after 1 s and retries twice).
 *
 * Pure module: imported from the Worker realm (api.worker.ts) and from Node code alike.
 */

/** Where Cloudflare documents the limits below. */
export const QUEUES_LIMITS_DOCS_URL = "https://developers.cloudflare.com/queues/platform/limits/";

/** Where Cloudflare documents the consumer settings and their defaults. */
export const QUEUES_CONSUMER_DOCS_URL = "https://developers.cloudflare.com/queues/configuration/configure-queues/";

/** Largest message body, in bytes of its serialised form ("Message size: 128 KB"). */
export const QUEUE_MAX_MESSAGE_SIZE_BYTES = 128_000;

/** Most messages one `sendBatch()` may send ("Batch size (producer): 100 messages"). */
export const QUEUE_MAX_SEND_BATCH_MESSAGES = 100;

/** Largest total of the serialised bodies of one `sendBatch()`, in bytes ("256 KB"). */
export const QUEUE_MAX_SEND_BATCH_SIZE_BYTES = 256_000;

/** Longest `delaySeconds` / `delivery_delay` / `retry_delay`, in seconds ("Delay: 12 hours"). */
export const QUEUE_MAX_DELAY_SECONDS = 12 * 60 * 60;

/** Default `max_batch_size`, in messages. */
export const QUEUE_DEFAULT_MAX_BATCH_SIZE_MESSAGES = 10;

/** Largest `max_batch_size`, in messages ("Batch size (consumer): 100 messages"). */
export const QUEUE_MAX_MAX_BATCH_SIZE_MESSAGES = 100;

/** Default `max_batch_timeout`, in seconds. */
export const QUEUE_DEFAULT_MAX_BATCH_TIMEOUT_SECONDS = 5;

/** Largest `max_batch_timeout`, in seconds ("Batch wait time: 60 seconds"). */
export const QUEUE_MAX_MAX_BATCH_TIMEOUT_SECONDS = 60;

/** Default `max_retries`: deliveries after the first before a message is dead-lettered or dropped. */
export const QUEUE_DEFAULT_MAX_RETRIES = 3;

/** Largest `max_retries` ("Per-message retries: 100"). */
export const QUEUE_MAX_MAX_RETRIES = 100;

/** Default `retry_delay`, in seconds: a retried message is ready again at once. */
export const QUEUE_DEFAULT_RETRY_DELAY_SECONDS = 0;

/**
 * Most batches a consumer handles at once ("Maximum consumer invocations: 250"). Without
 * `max_concurrency` Cloudflare scales automatically up to this; Hearth starts one more concurrent
 * batch whenever a full batch (or a batch past its timeout) is waiting, up to the same number.
 */
export const QUEUE_MAX_CONCURRENCY_BATCHES = 250;

/**
 * How long a message is kept before it is deleted undelivered, in seconds ("Message retention:
 * 4 days" by default, up to 14). Documented for completeness: Hearth keeps messages until they are
 * delivered, dead-lettered, dropped or purged.
 */
export const QUEUE_DEFAULT_RETENTION_SECONDS = 4 * 24 * 60 * 60;
