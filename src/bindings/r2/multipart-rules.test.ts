import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { multipartEtag, selectCompletedParts, type UploadedPart } from "./multipart-rules.js";
import { isR2StoreFailure } from "./store.js";

const part = (partNumber: number, size: number): UploadedPart => ({ partNumber, size, etag: `e${partNumber}`, md5: "00".repeat(16) });
const uploaded = (...parts: UploadedPart[]) => new Map(parts.map((p) => [p.partNumber, p]));
const ref = (partNumber: number) => ({ partNumber, etag: `e${partNumber}` });

function fails(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => isR2StoreFailure(e) && e.failure.code === code);
}

describe("selectCompletedParts", () => {
  it("returns the named parts in part-number order", () => {
    const parts = selectCompletedParts([ref(2), ref(1), ref(3)], uploaded(part(1, 10), part(2, 10), part(3, 4), part(4, 10)), 10);
    assert.deepEqual(parts.map((p) => p.partNumber), [1, 2, 3]);
  });

  it("applies R2's checks", () => {
    fails(() => selectCompletedParts([], uploaded(part(1, 10)), 10), "BadUpload");
    fails(() => selectCompletedParts([ref(1), ref(1)], uploaded(part(1, 10)), 10), "BadUpload");
    fails(() => selectCompletedParts([{ partNumber: 1, etag: "other" }], uploaded(part(1, 10)), 10), "InvalidPart");
    fails(() => selectCompletedParts([ref(2)], uploaded(part(1, 10)), 10), "InvalidPart");
    fails(() => selectCompletedParts([ref(1), ref(2)], uploaded(part(1, 9), part(2, 1)), 10), "EntityTooSmall");
    fails(() => selectCompletedParts([ref(2), ref(1)], uploaded(part(1, 10), part(2, 4)), 10), "EntityTooSmall");
    fails(() => selectCompletedParts([ref(1), ref(2), ref(3)], uploaded(part(1, 10), part(2, 12), part(3, 1)), 10), "BadUpload");
    fails(() => selectCompletedParts([ref(1), ref(2)], uploaded(part(1, 10), part(2, 11)), 10), "BadUpload");
  });
});

describe("multipartEtag", () => {
  it("hashes the parts' binary md5s and appends the count", () => {
    const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
    const a = md5(new Uint8Array([1]));
    const b = md5(new Uint8Array([2]));
    const expected = createHash("md5").update(Buffer.concat([Buffer.from(a, "hex"), Buffer.from(b, "hex")])).digest("hex");
    assert.equal(multipartEtag([a, b], md5), `${expected}-2`);
  });
});
