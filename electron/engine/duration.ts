import { UsageError } from "./errors.js";

// Durations as people type them (90m, 2h, 1h30m, 45 min) and as PIM writes them (PT2H).
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const HUMAN =
  /^(?:(\d+(?:\.\d+)?)\s*d(?:ays?)?)?\s*(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in(?:utes?|s)?)?)?$/i;

/** Parses an ISO-8601 duration; null when it is not one. */
export function parseIsoDuration(text: string): number | null {
  const t = text.trim();
  const m = ISO.exec(t);
  if (!m || /^P$|T$/i.test(t)) return null;
  const [, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return Math.round(((n(d) * 24 + n(h)) * 60 + n(min)) * 60_000 + n(s) * 1000);
}

/** Parses 90m, 2h, 1h30m, 1.5h, PT2H or a bare number of minutes. Throws a UsageError naming the fix. */
export function parseDuration(text: string): number {
  const t = text.trim();
  const iso = /^P/i.test(t) ? parseIsoDuration(t) : null;
  let ms: number | null = iso;
  if (ms === null && /^\d+$/.test(t)) ms = Number(t) * 60_000;
  if (ms === null) {
    const m = HUMAN.exec(t);
    if (m && (m[1] || m[2] || m[3])) {
      const n = (v: string | undefined) => (v ? Number(v) : 0);
      ms = Math.round(((n(m[1]) * 24 + n(m[2])) * 60 + n(m[3])) * 60_000);
    }
  }
  if (ms === null || !Number.isFinite(ms)) {
    throw new UsageError(`'${text}' is not a duration. Write it like 90m, 2h, 1h30m or PT2H.`, { value: text });
  }
  if (ms < 5 * 60_000) {
    throw new UsageError(`A duration of '${text}' is too short: PIM activations last at least 5 minutes.`, {
      value: text,
    });
  }
  return ms;
}

export function toIsoDuration(ms: number): string {
  const totalMinutes = Math.round(ms / 60_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return `PT${h ? `${h}H` : ""}${m || !h ? `${m}M` : ""}`;
}

/** "1 h 12 min", "45 min", "30 s": for people. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const totalMinutes = Math.round(ms / 60_000);
  const d = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m || parts.length === 0) parts.push(`${m} min`);
  return parts.join(" ");
}
