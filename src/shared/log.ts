/**
 * The logger every part of Hearth writes through, so tests can capture output and `--log-level`
 * filters it in one place. Library code never calls `console.*` directly.
 */
export type LogLevel = "debug" | "info" | "log" | "warn" | "error" | "none";

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, log: 2, warn: 3, error: 4, none: 5 };

export const LOG_LEVELS = Object.keys(LEVEL_ORDER) as LogLevel[];

export interface Logger {
  level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  /** Output user code wrote with console.log and friends; shown unless the level is warn or above. */
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Writes to stdout are gathered and flushed once per turn of the event loop: a busy server logs a
 * line per request, and one write per line would cost a system call each. Errors go out at once
 * (after anything pending on stdout, to keep the order).
 */
function createProcessSink(): LogSink {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join("\n") + "\n";
    pending = [];
    process.stdout.write(text);
  };
  process.once("exit", flush);
  return {
    out: (line) => {
      if (pending.push(line) === 1) setImmediate(flush);
    },
    err: (line) => {
      flush();
      process.stderr.write(line + "\n");
    },
  };
}

const processSink: LogSink = createProcessSink();

export function createLogger(level: LogLevel = "info", sink: LogSink = processSink): Logger {
  const enabled = (l: LogLevel) => LEVEL_ORDER[l] >= LEVEL_ORDER[logger.level];
  const logger: Logger = {
    level,
    debug: (m) => enabled("debug") && sink.out(m),
    info: (m) => enabled("info") && sink.out(m),
    log: (m) => enabled("log") && sink.out(m),
    warn: (m) => enabled("warn") && sink.err(`▲ [WARNING] ${m}`),
    error: (m) => enabled("error") && sink.err(`✘ [ERROR] ${m}`),
  };
  return logger;
}

/** A logger that keeps every line, for tests. */
export function createMemoryLogger(level: LogLevel = "debug"): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(level, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}
