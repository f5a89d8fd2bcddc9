import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { closeR2Buckets, createR2Bucket, disposeR2Bucket, listLocalR2Buckets, r2BucketDescriptor, r2BucketName, r2Descriptors } from "./binding.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-r2-binding-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("R2 binding wiring", () => {
  it("picks the bucket local mode uses: preview_bucket_name, else bucket_name, else the binding", () => {
    assert.equal(r2BucketName({ binding: "B", bucket_name: "prod", preview_bucket_name: "preview" }), "preview");
    assert.equal(r2BucketName({ binding: "B", bucket_name: "prod" }), "prod");
    assert.equal(r2BucketName({ binding: "B" }), "B");
  });

  it("makes descriptors whose folder is the file-safe bucket name", () => {
    assert.deepEqual(r2Descriptors([{ binding: "FILES", bucket_name: "my/bucket" }], root), [
      { kind: "r2", name: "FILES", bucketName: "my/bucket", dir: path.join(root, "r2", "my%2Fbucket") },
    ]);
    assert.deepEqual(r2BucketDescriptor("BUCKET", undefined, root), { kind: "r2", name: "BUCKET", bucketName: "BUCKET", dir: path.join(root, "r2", "BUCKET") });
    assert.equal(r2BucketDescriptor("BUCKET", "assets", root).bucketName, "assets");
  });

  it("opens buckets on the state and lists the ones with data", async () => {
    const [a, b] = r2Descriptors([{ binding: "A", bucket_name: "alpha" }, { binding: "B", bucket_name: "b/eta" }], root);
    const bucketA = createR2Bucket(a!);
    createR2Bucket(b!);
    await bucketA.put("k", "v");
    await disposeR2Bucket(bucketA);
    await assert.rejects(bucketA.head("k"));
    await closeR2Buckets();
    assert.deepEqual(listLocalR2Buckets(root), ["alpha", "b/eta"]);
    assert.deepEqual(listLocalR2Buckets(path.join(root, "nothing")), []);
  });
});
