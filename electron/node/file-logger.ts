import { appendFileSync, renameSync, statSync } from "node:fs";
import { describeCause } from "../engine/errors.js";
import { scrub, type Logger } from "../engine/logger.js";

/** A log file is rotated once it passes this size… */
export const LOG_MAX_BYTES = 1_048_576;
/** …into pimtray.log.1, the older copies moving to .2 and .3; the oldest is dropped: 4 MB at most in all. */
export const LOG_ROTATED_COPIES = 3;

/** The log and its rotated copies, newest first: what "Export diagnostics" includes. */
export function logFiles(path: string): string[] {
  return [path, ...Array.from({ length: LOG_ROTATED_COPIES }, (_, i) => `${path}.${i + 1}`)];
}

function rotate(path: string): void {
  for (let i = LOG_ROTATED_COPIES - 1; i >= 1; i--) {
    try {
      renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    } catch {
      // no copy of that age yet
    }
  }
  renameSync(path, `${path}.1`);
}

/**
 * Appends to pimtray.log in the config folder (rotated at 1 MB, three older copies kept), scrubbed of tokens.
 * With `verbose`, each line also goes to `echo` (the CLI's stderr, or the tray app's).
 */
export function fileLogger(path: string, verbose: boolean, echo: (line: string) => void): Logger {
  const write = (level: string, message: string, detail?: unknown) => {
    const line = scrub(
      `${new Date().toISOString()} ${level} ${message}${detail === undefined ? "" : ` | ${describeCause(detail)}`}`,
    );
    try {
      try {
        if (statSync(path).size > LOG_MAX_BYTES) rotate(path);
      } catch {
        // no log yet
      }
      appendFileSync(path, `${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never break a command; stderr still gets it with --verbose.
    }
    if (verbose) echo(line);
  };
  return {
    debug: (m, d) => write("DEBUG", m, d),
    info: (m, d) => write("INFO", m, d),
    warn: (m, d) => write("WARN", m, d),
    error: (m, d) => write("ERROR", m, d),
  };
}
