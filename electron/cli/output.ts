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

export function createOut(json: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Out {
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
      stdout.write(t.endsWith("\n") ? t : `${t}\n`);
    },
    error: (t) => {
      if (progressShown) {
        stderr.write("\r\x1b[2K");
        progressShown = false;
      }
      stderr.write(t.endsWith("\n") ? t : `${t}\n`);
    },
    progress: (t) => {
      if (json) return;
      if (!tty) {
        // Not a terminal: one line per change, no carriage returns in logs.
        if (t !== lastPlain) stderr.write(`… ${t}\n`);
        lastPlain = t;
        return;
      }
      stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${t}`);
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
