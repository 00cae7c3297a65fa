import { appendFileSync, renameSync, statSync } from "node:fs";
import { describeCause } from "../engine/errors.js";
import { scrub, type Logger } from "../engine/logger.js";

/**
 * Appends to pimtray.log in the config folder (rotated at 1 MB), scrubbed of tokens. With `verbose`,
 * each line also goes to `echo` (the CLI's stderr, or the tray app's).
 */
export function fileLogger(path: string, verbose: boolean, echo: (line: string) => void): Logger {
  const write = (level: string, message: string, detail?: unknown) => {
    const line = scrub(
      `${new Date().toISOString()} ${level} ${message}${detail === undefined ? "" : ` | ${describeCause(detail)}`}`,
    );
    try {
      try {
        if (statSync(path).size > 1_048_576) renameSync(path, `${path}.1`);
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
