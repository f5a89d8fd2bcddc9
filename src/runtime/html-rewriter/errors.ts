/**
 * Every error user code can see from HTMLRewriter is made here, with workerd's type and wording.
 * Runs in the isolate thread: the errors are made with the Worker realm's constructors.
 */
const HTML_REWRITER_ERRORS = {
  /** A selector lol-html cannot parse; `detail` is lol-html's own message (as workerd reports it). */
  invalidSelector: (detail: string) => new TypeError(detail),
  notResponse: () => new TypeError("Failed to execute 'transform' on 'HTMLRewriter': parameter 1 is not of type 'Response'."),
  notHandlers: (method: "on" | "onDocument") =>
    new TypeError(`Failed to execute '${method}' on 'HTMLRewriter': parameter ${method === "on" ? 2 : 1} is not of type 'object'.`),
  endTagHandlerNotFunction: () => new TypeError("Failed to execute 'onEndTag' on 'Element': parameter 1 is not a function."),
  chunkNotBytes: () => new TypeError("This TransformStream is being used as a byte stream, but received a non-byte chunk."),
} as const;

export type HtmlRewriterErrorKind = keyof typeof HTML_REWRITER_ERRORS;

export function htmlRewriterError<K extends HtmlRewriterErrorKind>(
  kind: K,
  ...args: Parameters<(typeof HTML_REWRITER_ERRORS)[K]>
): Error {
  return (HTML_REWRITER_ERRORS[kind] as (...a: unknown[]) => Error)(...args);
}
