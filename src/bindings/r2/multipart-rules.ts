/**
 * R2's rules for completing a multipart upload and naming the result, shared by every driver so
 * they all fail the same way (miniflare `bucket.worker.ts` `completeMultipartUpload`, and
 * https://developers.cloudflare.com/r2/objects/multipart-objects/).
 *
 * Pure module.
 */
import { R2_MAX_OBJECT_SIZE_BYTES } from "./limits.js";
import { R2StoreFailure, type R2PartRef } from "./store.js";

/** What a driver knows about one uploaded part. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
  /** Bytes. */
  size: number;
  /** Hex MD5 of the part's bytes. */
  md5: string;
}

/**
 * The parts `selected` names, in part-number order, after R2's checks: at least one part, no part
 * named twice (`BadUpload`); each named part uploaded with that etag (`InvalidPart`); every part but
 * the last at least `minPartSizeBytes` in the order given (`EntityTooSmall`), and, in part-number
 * order, all but the last the same size and the last no larger (`BadUpload`); the total within
 * R2_MAX_OBJECT_SIZE_BYTES (`EntityTooLarge`).
 */
export function selectCompletedParts(
  selected: readonly R2PartRef[],
  uploaded: ReadonlyMap<number, UploadedPart>,
  minPartSizeBytes: number,
): UploadedPart[] {
  if (selected.length === 0) throw new R2StoreFailure({ code: "BadUpload" });
  const seen = new Set<number>();
  for (const ref of selected) {
    if (seen.has(ref.partNumber)) throw new R2StoreFailure({ code: "BadUpload" });
    seen.add(ref.partNumber);
  }
  const parts = selected.map((ref) => {
    const part = uploaded.get(ref.partNumber);
    if (part === undefined || part.etag !== ref.etag) throw new R2StoreFailure({ code: "InvalidPart" });
    return part;
  });
  for (const part of parts.slice(0, -1)) {
    if (part.size < minPartSizeBytes) throw new R2StoreFailure({ code: "EntityTooSmall" });
  }
  parts.sort((a, b) => a.partNumber - b.partNumber);
  const partSize = parts[0]!.size;
  for (const part of parts.slice(0, -1)) {
    if (part.size < minPartSizeBytes || part.size !== partSize) throw new R2StoreFailure({ code: "BadUpload" });
  }
  if (parts.length > 1 && parts[parts.length - 1]!.size > partSize) throw new R2StoreFailure({ code: "BadUpload" });
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (total > R2_MAX_OBJECT_SIZE_BYTES) throw new R2StoreFailure({ code: "EntityTooLarge" });
  return parts;
}

/** R2's multipart etag: hex MD5 of the parts' binary MD5s, joined, then `-<part count>`. */
export function multipartEtag(partMd5s: readonly string[], md5Hex: (bytes: Uint8Array) => string): string {
  const joined = new Uint8Array(partMd5s.length * 16);
  partMd5s.forEach((hex, i) => {
    for (let b = 0; b < 16; b++) joined[i * 16 + b] = parseInt(hex.slice(b * 2, b * 2 + 2), 16);
  });
  return `${md5Hex(joined)}-${partMd5s.length}`;
}
