import assert from "node:assert/strict";
import { it } from "node:test";
import * as queues from "./index.js";

it("src/bindings/queues/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(queues).sort(), [
    "QUEUES_CONSUMER_DOCS_URL",
    "QUEUES_LIMITS_DOCS_URL",
    "QUEUE_DB_FILE",
    "QUEUE_DEFAULT_MAX_BATCH_SIZE_MESSAGES",
    "QUEUE_DEFAULT_MAX_BATCH_TIMEOUT_SECONDS",
    "QUEUE_DEFAULT_MAX_RETRIES",
    "QUEUE_DEFAULT_RETENTION_SECONDS",
    "QUEUE_DEFAULT_RETRY_DELAY_SECONDS",
    "QUEUE_MAX_CONCURRENCY_BATCHES",
    "QUEUE_MAX_DELAY_SECONDS",
    "QUEUE_MAX_MAX_BATCH_SIZE_MESSAGES",
    "QUEUE_MAX_MAX_BATCH_TIMEOUT_SECONDS",
    "QUEUE_MAX_MAX_RETRIES",
    "QUEUE_MAX_MESSAGE_SIZE_BYTES",
    "QUEUE_MAX_SEND_BATCH_MESSAGES",
    "QUEUE_MAX_SEND_BATCH_SIZE_BYTES",
    "QUEUE_POLL_INTERVAL_MS",
    "QueueBroker",
    "QueueBrokers",
    "closeQueueProducers",
    "createMessageBatch",
    "createQueueApi",
    "createQueueProducer",
    "decodeBody",
    "defaultQueueContentType",
    "encodeBody",
    "isLeaseOwnerAlive",
    "listLocalQueues",
    "openMessageBatch",
    "openSqliteQueueStore",
    "queueConsumerPlans",
    "queueDir",
    "queueError",
    "queueProducerDescriptors",
    "queueWarning",
    "toContentType",
  ]);
});
