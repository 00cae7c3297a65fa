import { formatDuration } from "../engine/duration.js";

// Human output: aligned tables, colour only on a TTY (and never with NO_COLOR), a live progress
// line on stderr while waiting, and times in local time with the time left.

export interface Out {
  json: boolean;
  color: boolean;
  tty: boolean;
  write(text: string): void;
  error(text: string): void;
  progress(text: string): void;
  clearProgress(): void;
}

// Text from Graph (group names, approvers, error messages) must not drive the terminal: escape
// sequences can retitle the window, clear the screen, hide or rewrite what the user reads.
const ESCAPE_SEQUENCE = new RegExp(
  [
    "(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]", // CSI (7- and 8-bit)
    "(?:\\x1b\\]|\\x9d)[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?", // OSC, with its payload
    "(?:\\x1b[PX^_]|[\\x90\\x98\\x9e\\x9f])[^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c)?", // DCS, SOS, PM, APC
    "\\x1b[\\x20-\\x7e]?", // any other ESC and the character it introduces
  ].join("|"),
  "g",
);
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Exactly the codes paint() writes; on a colour terminal they are kept, nothing else is.
const OWN_COLOUR = /\x1b\[(?:0|1|2|31|32|33|34)m/g;
const KEEP = "\uE000";

/** Text fit for a terminal: escape sequences and control characters removed; tabs and newlines kept. */
export function terminalSafe(text: string, keepOwnColours = false): string {
  const codes: string[] = [];
  let t = text.replaceAll(KEEP, "");
  if (keepOwnColours) t = t.replace(OWN_COLOUR, (c) => (codes.push(c), KEEP));
  t = t.replace(ESCAPE_SEQUENCE, "").replace(CONTROL, "");
  let i = 0;
  return keepOwnColours ? t.replace(/\uE000/g, () => codes[i++] ?? "") : t;
}

/** JSON text with DEL, C1 controls and the JS line separators escaped too (JSON.stringify leaves them raw). */
export function jsonSafe(text: string): string {
  return text.replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function createOut(
  json: boolean,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Out {
  const tty = Boolean(stderr.isTTY);
  const color = Boolean(stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  let progressShown = false;
  let lastPlain = "";
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  return {
    json,
    color,
    tty,
    write: (t) => {
      if (progressShown) {
        stderr.write("\r\x1b[2K");
        progressShown = false;
      }
      const safe = json ? jsonSafe(t) : terminalSafe(t, color);
      stdout.write(safe.endsWith("\n") ? safe : `${safe}\n`);
    },
    error: (t) => {
      if (progressShown) {
        stderr.write("\r\x1b[2K");
        progressShown = false;
      }
      // Plain text even with --json: messages for the person watching.
      const safe = terminalSafe(t, color && Boolean(stderr.isTTY));
      stderr.write(safe.endsWith("\n") ? safe : `${safe}\n`);
    },
    progress: (t) => {
      if (json) return;
      const safe = terminalSafe(t);
      if (!tty) {
        // Not a terminal: one line per change, no carriage returns in logs.
        if (safe !== lastPlain) stderr.write(`… ${safe}\n`);
        lastPlain = safe;
        return;
      }
      stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${safe}`);
      progressShown = true;
    },
    clearProgress: () => {
      if (progressShown) stderr.write("\r\x1b[2K");
      progressShown = false;
    },
  };
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
export type Style = keyof typeof codes;

export function paint(out: Out, style: Style, text: string): string {
  return out.color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}

// Strips our own colour codes to measure width.
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, "").length;

/** Columns padded to the widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][], out: Out): string {
  // Cells are data (names from Graph among them) and never carry our colours: clean them whole.
  rows = rows.map((r) => r.map((c) => terminalSafe(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(Math.max(0, (widths[i] ?? 0) - visible(c)))))
      .join("  ")
      .trimEnd();
  return [paint(out, "bold", line(headers)), ...rows.map(line)].join("\n");
}

/** "15:42" today, "Sat 28 Nov 15:42" otherwise, in local time. */
export function localTime(iso: string | null, now = Date.now()): string {
  if (!iso) return "—";
  const d = new Date(iso);
  const today = new Date(now);
  const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })} ${time}`;
}

export function timeLeft(iso: string | null, now = Date.now()): string {
  if (!iso) return "no end";
  const ms = Date.parse(iso) - now;
  return ms <= 0 ? "ended" : `${formatDuration(ms)} left`;
}
