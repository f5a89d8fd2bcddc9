import assert from "node:assert/strict";
import { test } from "node:test";
import { knownBody } from "./response-source.js";

const text = (body: ReturnType<typeof knownBody>) => (body === undefined ? undefined : "text" in body ? body.text : new TextDecoder().decode(body));

test("bodies made from strings and bytes are taken as they are", () => {
  assert.equal(text(knownBody(new Response("héllo"))), "héllo");
  assert.deepEqual(knownBody(new Response(new Uint8Array([1, 2, 3]))), new Uint8Array([1, 2, 3]));
  assert.equal(text(knownBody(Response.json({ a: 1 }))), '{"a":1}');
});

test("streamed, read or locked bodies are left to the stream reader", async () => {
  assert.equal(knownBody(new Response(new ReadableStream())), undefined);
  const read = new Response("x");
  await read.text();
  assert.equal(knownBody(read), undefined);
  const locked = new Response("y");
  locked.body!.getReader();
  assert.equal(knownBody(locked), undefined);
});
