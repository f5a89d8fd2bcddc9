import assert from "node:assert/strict";
import { test } from "node:test";
import { INVALID_REDIRECT_MODE, REQUEST_BODY_USED } from "./errors.js";
import { replayableBody, workersRequestClass } from "./workers-request.js";

const WorkersRequest = workersRequestClass(Request);
const url = "https://example.com/";

test('redirect is "follow" or "manual" in any case; "error" and others throw workerd\'s TypeError', () => {
  assert.equal(new WorkersRequest(url).redirect, "follow");
  assert.equal(new WorkersRequest(url, { redirect: "MANUAL" as RequestRedirect }).redirect, "manual");
  for (const redirect of ["error", "nope"]) {
    assert.throws(() => new WorkersRequest(url, { redirect: redirect as RequestRedirect }), { name: "TypeError", message: INVALID_REDIRECT_MODE });
  }
});

test("cf is kept, copied by new Request(request), and absent otherwise", () => {
  const withCf = new WorkersRequest(url, { cf: { cacheTtl: 5 } } as RequestInit) as Request & { cf?: unknown };
  assert.deepEqual(withCf.cf, { cacheTtl: 5 });
  assert.deepEqual((new WorkersRequest(withCf) as Request & { cf?: unknown }).cf, { cacheTtl: 5 });
  assert.equal((new WorkersRequest(url) as Request & { cf?: unknown }).cf, undefined);
});

test("a request whose body was used cannot be copied, unless a new body is given", async () => {
  const posted = new WorkersRequest(url, { method: "POST", body: "x" });
  await posted.text();
  assert.throws(() => new WorkersRequest(posted), { name: "TypeError", message: REQUEST_BODY_USED });
  assert.equal(await new WorkersRequest(posted, { body: "y" }).text(), "y");
});

test("stream bodies need no duplex; buffer bodies are remembered for redirects, streams are not", () => {
  const streamed = new WorkersRequest(url, { method: "POST", body: new ReadableStream() });
  assert.equal(replayableBody(streamed), undefined);
  const buffered = new WorkersRequest(url, { method: "POST", body: "again" });
  assert.equal(replayableBody(buffered), "again");
  assert.equal(replayableBody(new WorkersRequest(buffered)), "again");
  assert.ok(new WorkersRequest(url) instanceof WorkersRequest);
  assert.ok(new Request(url) instanceof WorkersRequest, "one class for Node's and Workers' requests");
});

test("a Request as init is read in full (method, headers, stream body)", async () => {
  const incoming = new Request(url, { method: "PUT", headers: { "x-a": "1" }, body: new Blob(["abc"]).stream(), duplex: "half" } as RequestInit);
  const copy = new WorkersRequest("https://other.example/", incoming);
  assert.equal(copy.method, "PUT");
  assert.equal(copy.headers.get("x-a"), "1");
  assert.equal(await copy.text(), "abc");
});
