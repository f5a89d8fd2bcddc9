/**
 * Bodies crossing the thread boundary, host side: a Node Readable fed by an isolate's response
 * chunks (acknowledged as the consumer takes them), and the pull of request bodies from a socket.
 */
import { Readable } from "node:stream";

/** A response body arriving from an isolate. Bytes are acknowledged once the consumer wants more. */
export class IsolateBodyStream extends Readable {
  private unackedBytes = 0;

  constructor(
    private readonly ack: (bytes: number) => void,
    private readonly onDestroy: () => void,
  ) {
    super();
  }

  deliver(chunk: Uint8Array): void {
    if (this.push(chunk)) this.ack(chunk.byteLength);
    else this.unackedBytes += chunk.byteLength;
  }

  override _read(): void {
    if (this.unackedBytes > 0) {
      this.ack(this.unackedBytes);
      this.unackedBytes = 0;
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.onDestroy();
    callback(error);
  }
}

/** Reads the next chunk of a paused Readable: bytes, or null at its end. */
export function pullChunk(source: Readable): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const chunk = source.read() as Buffer | null;
      if (chunk !== null) {
        cleanup();
        resolve(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } else if (source.readableEnded) {
        cleanup();
        resolve(null);
      } else if (source.destroyed) {
        onClose();
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error("The request body was cut short: the client disconnected."));
    };
    const cleanup = () => {
      source.off("readable", attempt);
      source.off("end", onEnd);
      source.off("error", onError);
      source.off("close", onClose);
    };
    source.on("readable", attempt);
    source.on("end", onEnd);
    source.on("error", onError);
    source.on("close", onClose);
    attempt();
  });
}
