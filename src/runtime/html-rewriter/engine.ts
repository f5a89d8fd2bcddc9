/**
 * The HTML engine behind HTMLRewriter: lol-html compiled to WebAssembly (`html-rewriter-wasm`, the
 * build Miniflare 2 used). Loaded on first use, so a Worker that never rewrites HTML pays neither
 * the ~1 MB module compile nor its memory. One instance per thread (each isolate has its own).
 */
import { createRequire } from "node:module";
import type * as HtmlRewriterWasm from "html-rewriter-wasm";

export type Engine = typeof HtmlRewriterWasm;
export type EngineRewriter = HtmlRewriterWasm.HTMLRewriter;
export type EngineElement = HtmlRewriterWasm.Element;
export type EngineEndTag = HtmlRewriterWasm.EndTag;
export type EngineComment = HtmlRewriterWasm.Comment;
export type EngineTextChunk = HtmlRewriterWasm.TextChunk;
export type EngineDoctype = HtmlRewriterWasm.Doctype;
export type EngineDocumentEnd = HtmlRewriterWasm.DocumentEnd;
export type EngineElementHandlers = HtmlRewriterWasm.ElementHandlers;
export type EngineDocumentHandlers = HtmlRewriterWasm.DocumentHandlers;

let engine: Engine | undefined;

export function loadEngine(): Engine {
  engine ??= createRequire(import.meta.url)("html-rewriter-wasm") as Engine;
  return engine;
}

/** Whether the engine has been loaded in this thread (tests check that startup does not load it). */
export function engineLoaded(): boolean {
  return engine !== undefined;
}
