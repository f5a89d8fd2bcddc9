/**
 * Cloudflare Queues: the folder's only public entry. Other folders import from here, never deeper.
 * index.test.ts pins this list.
 */
export {
  closeQueueProducers,
  createQueueProducer,
  defaultQueueContentType,
  listLocalQueues,
  openMessageBatch,
  queueConsumerPlans,
  queueDir,
  queueProducerDescriptors,
} from "./binding.js";
export type { CreateQueueProducerOptions, QueueConfigSource, QueueConsumerConfig, QueueProducerConfig } from "./binding.js";
export { createQueueApi } from "./api.worker.js";
export type {
  MessageSendRequest,
  Queue,
  QueueApiOptions,
  QueueMetrics,
  QueueSendBatchOptions,
  QueueSendOptions,
  QueueSendResponse,
} from "./api.worker.js";
export { createMessageBatch } from "./consumer.worker.js";
export type {
  Message,
  MessageBatch,
  MessageBatchMetrics,
  MessageBatchSession,
  QueueDelivery,
  QueueDeliveryMessage,
  QueueMessageDecision,
  QueueRetryOptions,
} from "./consumer.worker.js";
export { isLeaseOwnerAlive, QUEUE_POLL_INTERVAL_MS, QueueBroker } from "./broker.js";
export type { QueueBrokerOptions, QueueConsumerSettings, QueueDeliveryResult } from "./broker.js";
export { QueueBrokers } from "./brokers.js";
export type { QueueBrokersOptions, QueueConsumerPlan, SessionQueueConsumer } from "./brokers.js";
export { queueError, queueWarning } from "./errors.js";
export type { QueueErrorKind, QueueSendMethod, QueueWarningKind } from "./errors.js";
export { decodeBody, encodeBody, toContentType } from "./message-body.js";
export type { V8Serializer } from "./message-body.js";
export { openSqliteQueueStore, QUEUE_DB_FILE } from "./drivers/sqlite.js";
export type { SqliteQueueStoreOptions } from "./drivers/sqlite.js";
export type {
  QueueContentType,
  QueueMessageInput,
  QueueMessageRecord,
  QueueMetrics as QueueStoreMetrics,
  QueueReadiness,
  QueueSettlement,
  QueueStats,
  QueueStore,
} from "./store.js";
export {
  QUEUE_DEFAULT_MAX_BATCH_SIZE_MESSAGES,
  QUEUE_DEFAULT_MAX_BATCH_TIMEOUT_SECONDS,
  QUEUE_DEFAULT_MAX_RETRIES,
  QUEUE_DEFAULT_RETENTION_SECONDS,
  QUEUE_DEFAULT_RETRY_DELAY_SECONDS,
  QUEUE_MAX_CONCURRENCY_BATCHES,
  QUEUE_MAX_DELAY_SECONDS,
  QUEUE_MAX_MAX_BATCH_SIZE_MESSAGES,
  QUEUE_MAX_MAX_BATCH_TIMEOUT_SECONDS,
  QUEUE_MAX_MAX_RETRIES,
  QUEUE_MAX_MESSAGE_SIZE_BYTES,
  QUEUE_MAX_SEND_BATCH_MESSAGES,
  QUEUE_MAX_SEND_BATCH_SIZE_BYTES,
  QUEUES_CONSUMER_DOCS_URL,
  QUEUES_LIMITS_DOCS_URL,
} from "./limits.js";
