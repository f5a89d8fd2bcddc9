/**
 * OpenAI's streamed answers (server-sent events of `chat.completion.chunk` / `text_completion`
 * objects) → Workers AI's (https://developers.cloudflare.com/workers-ai/features/streaming/):
 *
 *   data: {"response":"Hel"}\n\n
 *   data: {"response":"lo"}\n\n
 *   data: {"response":"","tool_calls":[…]}\n\n     when the model called tools
 *   data: {"response":"","usage":{…}}\n\n          when the server reported usage
 *   data: [DONE]\n\n
 *
 * Converted as the upstream bytes arrive: each `pull` reads upstream chunks until it has
 * something to hand on, so nothing is buffered beyond one partial event. Cancelling the result
 * cancels the upstream body.
 *
 * Pure module (web streams only).
 */
import type { AiToolCall, AiUsage } from "../backend.js";
import { toolCallsOf, usageOf } from "./openai-shapes.js";

export interface EventStreamOptions {
  /** `chat`: `/chat/completions` chunks (`choices[0].delta`); `completion`: `/completions` chunks (`choices[0].text`). */
  kind: "chat" | "completion";
  /** Tools were given in Workers AI's legacy form: tool calls come out as `{ name, arguments }`. */
  legacyTools: boolean;
  /** The error to end the stream with when the upstream reports one or sends something unreadable. */
  fail(detail: string): Error;
}

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

const encoder = new TextEncoder();

function event(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

/** Workers AI's event stream made from an OpenAI-compatible server's streamed answer. */
export function workersAiEventStream(upstream: ReadableStream<Uint8Array>, options: EventStreamOptions): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let dataLines: string[] = [];
  let done = false;
  let usage: AiUsage | undefined;
  const toolCalls = new Map<number, PendingToolCall>();

  /** The events one upstream event gives; `true` once the upstream said `[DONE]`. */
  function onUpstreamEvent(data: string, out: Uint8Array[]): boolean {
    if (data === "[DONE]") return true;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      throw options.fail(`unreadable stream event ${JSON.stringify(data.slice(0, 200))}`);
    }
    if (chunk["error"] !== undefined) throw options.fail(errorText(chunk["error"]));
    usage = usageOf(chunk["usage"]) ?? usage;
    const choice = (Array.isArray(chunk["choices"]) ? chunk["choices"][0] : undefined) as Record<string, unknown> | undefined;
    if (!choice) return false;
    if (options.kind === "completion") {
      if (typeof choice["text"] === "string" && choice["text"] !== "") out.push(event(JSON.stringify({ response: choice["text"] })));
      return false;
    }
    const delta = (choice["delta"] ?? {}) as Record<string, unknown>;
    if (typeof delta["content"] === "string" && delta["content"] !== "") out.push(event(JSON.stringify({ response: delta["content"] })));
    if (Array.isArray(delta["tool_calls"])) collectToolCalls(delta["tool_calls"]);
    return false;
  }

  function collectToolCalls(deltas: unknown[]): void {
    for (const [position, raw] of deltas.entries()) {
      const delta = (raw ?? {}) as Record<string, unknown>;
      const index = typeof delta["index"] === "number" ? delta["index"] : position;
      const fn = (delta["function"] ?? {}) as Record<string, unknown>;
      const pending = toolCalls.get(index) ?? { id: "", name: "", arguments: "" };
      if (typeof delta["id"] === "string") pending.id = delta["id"];
      if (typeof fn["name"] === "string") pending.name += fn["name"];
      if (typeof fn["arguments"] === "string") pending.arguments += fn["arguments"];
      else if (fn["arguments"] !== undefined) pending.arguments += JSON.stringify(fn["arguments"]);
      toolCalls.set(index, pending);
    }
  }

  function finish(out: Uint8Array[]): void {
    if (toolCalls.size > 0) {
      const calls: AiToolCall[] = toolCallsOf(
        [...toolCalls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
        options.legacyTools,
      );
      out.push(event(JSON.stringify({ response: "", tool_calls: calls })));
    }
    if (usage) out.push(event(JSON.stringify({ response: "", usage })));
    out.push(event("[DONE]"));
    done = true;
  }

  /** Feeds decoded text through the SSE line parser; returns `true` once the upstream is done. */
  function feed(text: string, out: Uint8Array[]): boolean {
    buffered += text;
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline < 0) return false;
      const line = buffered.slice(0, newline).replace(/\r$/, "");
      buffered = buffered.slice(newline + 1);
      if (line === "") {
        const data = dataLines.join("\n");
        dataLines = [];
        if (data !== "" && onUpstreamEvent(data, out)) return true;
      } else if (line.startsWith("data:")) {
        dataLines.push(line.slice(line.startsWith("data: ") ? 6 : 5));
      }
      // Other fields (event:, id:, retry:) and comments (": keep-alive") carry nothing Workers AI sends.
    }
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const out: Uint8Array[] = [];
      try {
        while (out.length === 0 && !done) {
          const { value, done: upstreamDone } = await reader.read();
          if (upstreamDone) {
            // A last event without its blank line still counts.
            feed(decoder.decode() + "\n\n", out);
            if (!done) finish(out);
            break;
          }
          if (feed(decoder.decode(value, { stream: true }), out)) {
            finish(out);
            void reader.cancel().catch(() => {});
          }
        }
      } catch (error) {
        void reader.cancel(error).catch(() => {});
        controller.error(error);
        return;
      }
      for (const chunk of out) controller.enqueue(chunk);
      if (done) controller.close();
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
}

function errorText(error: unknown): string {
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : JSON.stringify(error);
}
