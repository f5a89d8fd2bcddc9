/**
 * Bodies crossing the thread boundary, isolate side: request bodies are pulled from the host on
 * demand; response bodies are pushed to it within a window of unacknowledged bytes.
 */
import { clearImmediate, setImmediate } from "node:timers";
import { byteView, concatBytes } from "../shared/bytes.js";
import { knownBody } from "./response-source.js";
import { BODY_USED } from "./outbound/index.js";
import { toWireError } from "./wire-error.js";
import { RESPONSE_WINDOW_BYTES, type IsolateToHost } from "./protocol.js";

type Post = (message: IsolateToHost) => void;

/** Bytes a response body may buffer before its head is sent, when it ends that quickly. */
const INLINE_BODY_MAX_BYTES = 256 * 1024;

interface PendingPull {
  controller: ReadableStreamDefaultController<Uint8Array>;
  resolve: () => void;
}

/**
 * Bodies that live on the host and are pulled chunk by chunk: incoming request bodies, and
 * responses of service-binding calls. `requestPull(id)` asks the host for the next chunk; the
 * host's answer arrives through chunk(), end() or error().
 */
export class PulledBodies {
  private readonly pulls = new Map<number, PendingPull>();
  constructor(
    private readonly requestPull: (id: number) => void,
    private readonly onCancel: (id: number) => void = () => {},
  ) {}

  open(id: number): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) =>
          new Promise<void>((resolve) => {
            this.pulls.set(id, { controller, resolve });
            this.requestPull(id);
          }),
        cancel: () => {
          this.pulls.delete(id);
          this.onCancel(id);
        },
      },
      { highWaterMark: 0 },
    );
  }

  chunk(id: number, chunk: Uint8Array): void {
    const pull = this.take(id);
    pull?.controller.enqueue(chunk);
    pull?.resolve();
  }

  end(id: number): void {
    const pull = this.take(id);
    pull?.controller.close();
    pull?.resolve();
  }

  error(id: number, message: string): void {
    const pull = this.take(id);
    pull?.controller.error(new TypeError(message));
    pull?.resolve();
  }

  private take(id: number): PendingPull | undefined {
    const pull = this.pulls.get(id);
    this.pulls.delete(id);
    return pull;
  }
}

interface Outgoing {
  unacked: number;
  wake?: () => void;
  reader: ReadableStreamDefaultReader<unknown>;
}

export class ResponseBodies {
  private readonly outgoing = new Map<number, Outgoing>();
  constructor(private readonly post: Post) {}

  /**
   * Sends the head and body of `response`. A body that ends within one turn of the event loop
   * (the usual `new Response("text")`) travels inline with the head; anything slower is streamed,
   * so a server-sent-event stream gets its head at once.
   */
  async send(id: number, response: Response): Promise<void> {
    const head = { id, status: response.status, statusText: response.statusText, headers: headerPairs(response.headers) };
    if (response.body === null) {
      this.post({ t: "response", res: { ...head, body: null } });
      return;
    }
    const known = knownBody(response);
    if (known) {
      this.post({ t: "response", res: { ...head, body: known } });
      return;
    }
    // As workerd when a Response whose body was read is returned (knownBody() skips used bodies).
    if (response.bodyUsed) throw new TypeError(BODY_USED);
    const reader = response.body.getReader();
    const state: Outgoing = { unacked: 0, reader };
    this.outgoing.set(id, state);
    let headSent = false;
    try {
      const buffered: Uint8Array[] = [];
      let bufferedBytes = 0;
      let pending = reader.read();
      for (;;) {
        const result = await withinThisTurn(pending);
        if (result === YIELDED) break;
        if (result.done) {
          this.post({ t: "response", res: { ...head, body: concatBytes(buffered, bufferedBytes) } });
          return;
        }
        const chunk = toBytes(result.value);
        buffered.push(chunk);
        bufferedBytes += chunk.byteLength;
        pending = reader.read();
        if (bufferedBytes > INLINE_BODY_MAX_BYTES) break;
      }
      this.post({ t: "response", res: { ...head, body: "stream" } });
      headSent = true;
      for (const chunk of buffered) await this.push(id, chunk, state);
      for (let result = await pending; !result.done; result = await reader.read()) {
        await this.push(id, toBytes(result.value), state);
      }
      this.post({ t: "end", id });
    } catch (error) {
      if (!headSent) throw error;
      // After an abort the host has forgotten the request; otherwise it must cut the response short.
      if (this.outgoing.has(id)) this.post({ t: "stream-error", id, error: toWireError(error) });
    } finally {
      this.outgoing.delete(id);
    }
  }

  ack(id: number, bytes: number): void {
    const state = this.outgoing.get(id);
    if (!state) return;
    state.unacked -= bytes;
    if (state.unacked <= RESPONSE_WINDOW_BYTES) state.wake?.();
  }

  /** The client went away: stop reading the body. */
  abort(id: number): void {
    const state = this.outgoing.get(id);
    if (!state) return;
    this.outgoing.delete(id);
    state.wake?.();
    state.reader.cancel(new Error("The client disconnected.")).catch(() => {});
  }

  private async push(id: number, chunk: Uint8Array, state: Outgoing): Promise<void> {
    if (!this.outgoing.has(id)) throw new Error("The client disconnected.");
    state.unacked += chunk.byteLength;
    this.post({ t: "chunk", id, chunk });
    while (state.unacked > RESPONSE_WINDOW_BYTES && this.outgoing.has(id)) {
      await new Promise<void>((resolve) => (state.wake = resolve));
      state.wake = undefined;
    }
  }
}

const YIELDED = Symbol("yielded");

/** The promise's result if it settles within the current turn of the event loop, else YIELDED. */
function withinThisTurn<T>(promise: Promise<T>): Promise<T | typeof YIELDED> {
  return new Promise((resolve, reject) => {
    const timer = setImmediate(() => resolve(YIELDED));
    promise.then(
      (value) => {
        clearImmediate(timer);
        resolve(value);
      },
      (error) => {
        clearImmediate(timer);
        reject(error);
      },
    );
  });
}

/** Response body chunks must be bytes, as in Workers. */
function toBytes(value: unknown): Uint8Array {
  const bytes = byteView(value);
  if (!bytes) throw new TypeError("This ReadableStream did not return bytes.");
  return bytes;
}

/** Header pairs with each Set-Cookie kept apart (Headers iteration joins other repeats with ", "). */
export function headerPairs(headers: Headers): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name !== "set-cookie") pairs.push([name, value]);
  }
  for (const cookie of headers.getSetCookie()) pairs.push(["set-cookie", cookie]);
  return pairs;
}
