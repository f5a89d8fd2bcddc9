/**
 * Durable Object ids: 32 bytes shown as 64 lowercase hex digits. The first 16 bytes identify the
 * object (derived from the name for `idFromName`, random for `newUniqueId`); the last 16 are a MAC
 * keyed by the namespace, so `idFromString` can reject ids minted by another namespace, as
 * Cloudflare does. The HMAC function is injected: Hearth passes node:crypto's.
 */

/** HMAC-SHA256 of `data` under `key`. */
export type Hmac = (key: string, data: string) => Uint8Array;

const ID_BODY_BYTES = 16;
const ID_MAC_BYTES = 16;
const HEX_ID = /^[0-9a-fA-F]{64}$/;

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** The `DurableObjectId` user code sees. */
export class DurableObjectIdImpl {
  readonly #hex: string;
  readonly name?: string;

  constructor(hexId: string, name?: string) {
    this.#hex = hexId;
    if (name !== undefined) this.name = name;
  }

  toString(): string {
    return this.#hex;
  }

  equals(other: { toString(): string }): boolean {
    return other !== null && typeof other === "object" && other.toString() === this.#hex;
  }

  get jurisdiction(): string | undefined {
    return undefined;
  }
}

export class IdFactory {
  constructor(
    private readonly namespaceKey: string,
    private readonly hmac: Hmac,
  ) {}

  private withMac(body: Uint8Array): string {
    const bodyHex = hex(body);
    return bodyHex + hex(this.hmac(this.namespaceKey, `id:${bodyHex}`).subarray(0, ID_MAC_BYTES));
  }

  fromName(name: string): DurableObjectIdImpl {
    const body = this.hmac(this.namespaceKey, `name:${name}`).subarray(0, ID_BODY_BYTES);
    return new DurableObjectIdImpl(this.withMac(body), name);
  }

  unique(): DurableObjectIdImpl {
    return new DurableObjectIdImpl(this.withMac(crypto.getRandomValues(new Uint8Array(ID_BODY_BYTES))));
  }

  fromString(value: string): DurableObjectIdImpl {
    if (typeof value !== "string" || !HEX_ID.test(value)) throw new TypeError("Invalid Durable Object ID: must be 64 hex digits");
    const lower = value.toLowerCase();
    const body = lower.slice(0, ID_BODY_BYTES * 2);
    if (this.withMac(Uint8Array.from(body.match(/../g)!, (pair) => parseInt(pair, 16))) !== lower) {
      throw new TypeError("Durable Object ID is not valid for this namespace.");
    }
    return new DurableObjectIdImpl(lower);
  }
}
