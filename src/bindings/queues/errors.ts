/**
 * Every error and warning Queues user code can see is made here, with Cloudflare's type and
 * wording (workerd `src/workerd/api/queue.c++`).
 *
 * - **Argument checks** workerd makes before sending: TypeErrors.
 * - **Service failures** (the queue service refused the message): a plain `Error`
 *   `Queue send failed: <statusText>` / `Queue sendBatch failed: <statusText>`, as workerd reports a
 *   non-200 answer without the `queue_expose_error_codes` flag. Hearth's service refuses what
 *   Cloudflare's refuses: too large (413 "Payload Too Large"), a delay out of range (400 "Bad Request").
 * - **Warnings** workerd logs when a consumer acknowledges or retries a message twice.
 *
 * Pure module: runs in the Worker realm (the errors are made with that realm's constructors).
 */

/** The method named in a service failure. */
export type QueueSendMethod = "send" | "sendBatch";

const QUEUE_ERRORS = {
  bodyUndefined: () => new TypeError("Message body cannot be undefined"),
  emptyBatch: () => new TypeError("sendBatch() requires at least one message"),
  /** WebIDL's text for a sendBatch() argument that is not iterable (workerd's exact wording). */
  notSequence: () => new TypeError("Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'Sequence'."),
  /** WebIDL's text for a batch entry that is not an object. */
  notMessageRequest: () =>
    new TypeError("Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'MessageSendRequest'."),
  unsupportedContentType: (contentType: string) => new TypeError(`Unsupported queue message content type: ${contentType}`),
  wrongBodyType: (contentType: "text" | "bytes", received: string) =>
    new TypeError(
      `Content Type "${contentType}" requires a value of type ${contentType === "text" ? "string" : "ArrayBufferView"}, but received: ${received}`,
    ),
  /** JSON.stringify gave nothing (a function or a symbol as the body). Hearth's wording. */
  notJson: (received: string) => new TypeError(`Content Type "json" requires a value JSON can represent, but received: ${received}`),
  payloadTooLarge: (method: QueueSendMethod) => new Error(`Queue ${method} failed: Payload Too Large`),
  badRequest: (method: QueueSendMethod) => new Error(`Queue ${method} failed: Bad Request`),
  internal: (method: QueueSendMethod, cause: unknown) => new Error(`Queue ${method} failed: Internal Server Error`, { cause }),
};

export type QueueErrorKind = keyof typeof QUEUE_ERRORS;

/** Makes the error user code sees for `kind`. */
export function queueError<K extends QueueErrorKind>(kind: K, ...args: Parameters<(typeof QUEUE_ERRORS)[K]>): Error {
  return (QUEUE_ERRORS[kind] as (...a: unknown[]) => Error)(...args);
}

const QUEUE_WARNINGS = {
  retryAfterAckAll: (id: string) =>
    `Received a call to retry() on message ${id} after ackAll() was already called. Calling retry() on a message after calling ackAll() has no effect.`,
  retryAfterAck: (id: string) =>
    `Received a call to retry() on message ${id} after ack() was already called. Calling retry() on a message after calling ack() has no effect.`,
  ackAfterRetryAll: (id: string) =>
    `Received a call to ack() on message ${id} after retryAll() was already called. Calling ack() on a message after calling retryAll() has no effect.`,
  ackAfterRetry: (id: string) =>
    `Received a call to ack() on message ${id} after retry() was already called. Calling ack() on a message after calling retry() has no effect.`,
  retryAllAfterAckAll: () =>
    "Received a call to retryAll() after ackAll() was already called. Calling retryAll() after calling ackAll() has no effect.",
  ackAllAfterRetryAll: () =>
    "Received a call to ackAll() after retryAll() was already called. Calling ackAll() after calling retryAll() has no effect.",
};

export type QueueWarningKind = keyof typeof QUEUE_WARNINGS;

/** The warning workerd logs for `kind`. */
export function queueWarning<K extends QueueWarningKind>(kind: K, ...args: Parameters<(typeof QUEUE_WARNINGS)[K]>): string {
  return (QUEUE_WARNINGS[kind] as (...a: unknown[]) => string)(...args);
}
