/**
 * "New messages in this queue": a BroadcastChannel per queue folder, so a producer in an isolate
 * thread wakes the broker on the main thread at once instead of at its next poll. Only threads of
 * one process hear it; brokers still poll for messages written by other processes and for delays.
 */
import { BroadcastChannel } from "node:worker_threads";

const CHANNEL_PREFIX = "hearth:queue:";

/** Channels this thread posts on, one per folder, unref'd so they never keep the thread alive. */
const senders = new Map<string, BroadcastChannel>();

/** Tells the broker of `dir` (if one runs in this process) that messages were committed. */
export function notifyQueue(dir: string): void {
  let channel = senders.get(dir);
  if (channel === undefined) {
    channel = new BroadcastChannel(CHANNEL_PREFIX + dir);
    channel.unref();
    senders.set(dir, channel);
  }
  channel.postMessage(null);
}

/** Calls `onWake` whenever another thread of this process notifies `dir`; returns the unsubscribe. */
export function listenForQueue(dir: string, onWake: () => void): () => void {
  const channel = new BroadcastChannel(CHANNEL_PREFIX + dir);
  channel.unref();
  channel.onmessage = () => onWake();
  return () => channel.close();
}
