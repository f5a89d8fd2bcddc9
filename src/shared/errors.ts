/**
 * Hearth's own errors: problems with the user's project or command line, as opposed to errors
 * user code sees from a binding (those copy Cloudflare's type and wording, see each binding's api).
 *
 * Every HearthError carries a code from this closed list, the place it concerns (file, key path,
 * flag or binding) and, when it wraps another failure, its `cause`.
 */
export type HearthErrorCode =
  /** A config file could not be read or parsed (syntax error). */
  | "ERR_CONFIG_PARSE"
  /** A config key has the wrong type or an invalid value. */
  | "ERR_CONFIG_INVALID"
  /** No config file and no script was given, or a named file does not exist. */
  | "ERR_CONFIG_MISSING"
  /** A command-line flag is unknown or its value is malformed. */
  | "ERR_FLAG"
  /** esbuild could not bundle the Worker. */
  | "ERR_BUILD"
  /** The bundled Worker failed while being loaded (top-level code threw). */
  | "ERR_WORKER_LOAD"
  /** The Worker has no handler for the event it was sent. */
  | "ERR_NO_HANDLER"
  /** A key or name would escape the state directory it belongs to. */
  | "ERR_TRAVERSAL"
  /** A data-plane command (kv, d1, r2 ...) was given something it cannot act on. */
  | "ERR_COMMAND";

export interface HearthErrorContext {
  /** File the problem is in (absolute or as the user wrote it). */
  file?: string;
  /** Dotted key path inside the file, e.g. `env.staging.kv_namespaces[0].binding`. */
  key?: string;
  /** Command-line flag, e.g. `--port`. */
  flag?: string;
  /** Binding name, e.g. `MY_KV`. */
  binding?: string;
}

export class HearthError extends Error {
  override readonly name = "HearthError";
  readonly code: HearthErrorCode;
  readonly context: HearthErrorContext;

  constructor(code: HearthErrorCode, message: string, context: HearthErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.context = context;
  }
}

/** Recognises a HearthError by shape, so a second copy of this module (or a thread boundary) still works. */
export function isHearthError(value: unknown): value is HearthError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "HearthError" &&
    typeof (value as { code?: unknown }).code === "string"
  );
}
