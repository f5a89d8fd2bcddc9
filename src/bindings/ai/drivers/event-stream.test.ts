import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { workersAiEventStream, type EventStreamOptions } from "./event-stream.js";

const encoder = new TextEncoder();

const chat = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

const options = (overrides: Partial<EventStreamOptions> = {}): EventStreamOptions => ({
  kind: "chat",
  legacyTools: false,
  fail: (detail) => new Error(`failed: ${detail}`),
  ...overrides,
});

/** An upstream body that hands out `pieces` one per pull, recording whether it was cancelled. */
function upstream(pieces: string[]) {
  let cancelled: unknown = false;
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[pulls++];
      if (piece === undefined) controller.close();
      else controller.enqueue(encoder.encode(piece));
    },
    cancel(reason) {
      cancelled = reason ?? true;
    },
  });
  return { stream, get cancelled() { return cancelled; }, get pulls() { return pulls; } };
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("OpenAI stream → Workers AI server-sent events", () => {
  test("content deltas become data: {\"response\":…} events; usage comes last; then [DONE]", async () => {
    const body = [
      chat({ role: "assistant", content: "" }),
      chat({ content: "Hel" }),
      chat({ content: "lo \"w\"" }),
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`,
      "data: [DONE]\n\n",
    ].join("");
    // Split the bytes at every awkward place: inside "data:", inside JSON, between \n\n.
    const pieces = body.match(/[\s\S]{1,7}/g)!;
    assert.equal(
      await text(workersAiEventStream(upstream(pieces).stream, options())),
      'data: {"response":"Hel"}\n\n' +
        'data: {"response":"lo \\"w\\""}\n\n' +
        'data: {"response":"","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\n' +
        "data: [DONE]\n\n",
    );
  });

  test("CRLF lines, comments and a missing [DONE] are tolerated", async () => {
    const source = upstream([": keep-alive\r\n\r\n", "data: ", JSON.stringify({ choices: [{ delta: { content: "ok" } }] }), "\r\n\r\n"]);
    assert.equal(await text(workersAiEventStream(source.stream, options())), 'data: {"response":"ok"}\n\ndata: [DONE]\n\n');
  });

  test("/completions chunks (raw prompts) use choices[0].text", async () => {
    const source = upstream([`data: ${JSON.stringify({ choices: [{ text: "a b" }] })}\n\n`, "data: [DONE]\n\n"]);
    assert.equal(await text(workersAiEventStream(source.stream, options({ kind: "completion" }))), 'data: {"response":"a b"}\n\ndata: [DONE]\n\n');
  });

  test("tool call deltas are joined into one event, in OpenAI form or Workers AI's legacy form", async () => {
    const pieces = [
      chat({ tool_calls: [{ index: 0, id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"ci' } }] }),
      chat({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Lisbon"}' } }] }),
      "data: [DONE]\n\n",
    ];
    assert.equal(
      await text(workersAiEventStream(upstream(pieces).stream, options())),
      'data: {"response":"","tool_calls":[{"id":"call_0","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lisbon\\"}"}}]}\n\ndata: [DONE]\n\n',
    );
    assert.equal(
      await text(workersAiEventStream(upstream(pieces).stream, options({ legacyTools: true }))),
      'data: {"response":"","tool_calls":[{"name":"get_weather","arguments":{"city":"Lisbon"}}]}\n\ndata: [DONE]\n\n',
    );
  });

  test("converts as bytes arrive: the first event is readable before the upstream has sent the rest", async () => {
    let sendRest!: () => void;
    const rest = new Promise<void>((resolve) => (sendRest = resolve));
    const source = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(chat({ content: "first" })));
        await rest;
        controller.enqueue(encoder.encode(chat({ content: "second" }) + "data: [DONE]\n\n"));
        controller.close();
      },
    });
    const reader = workersAiEventStream(source, options()).getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), 'data: {"response":"first"}\n\n');
    sendRest();
    let tail = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      tail += new TextDecoder().decode(value);
    }
    assert.equal(tail, 'data: {"response":"second"}\n\ndata: [DONE]\n\n');
  });

  test("an error event from the server errors the stream with the backend's failure", async () => {
    const source = upstream([chat({ content: "x" }), `data: ${JSON.stringify({ error: { message: "model crashed" } })}\n\n`]);
    await assert.rejects(text(workersAiEventStream(source.stream, options())), /failed: model crashed/);
  });

  test("an unreadable event errors the stream", async () => {
    await assert.rejects(text(workersAiEventStream(upstream(["data: {nope\n\n"]).stream, options())), /failed: unreadable stream event/);
  });

  test("cancelling the Workers AI stream cancels the upstream body", async () => {
    const source = upstream([chat({ content: "a" }), chat({ content: "b" }), chat({ content: "c" })]);
    const reader = workersAiEventStream(source.stream, options()).getReader();
    await reader.read();
    await reader.cancel("client went away");
    assert.equal(source.cancelled, "client went away");
  });
});
