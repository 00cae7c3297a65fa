// ISO-8601 durations as used by PIM (PT8H, PT90M, P1D, PT1H30M). Years and months are
// refused: their length is calendar-dependent and PIM never uses them for activations.
const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export function parseIsoDuration(text: string): number | null {
  const m = ISO_DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === "P" || text.trim().toUpperCase().endsWith("T")) return null;
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined): number => (v ? Number(v) : 0);
  const ms = (((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60_000 + n(s) * 1000;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

export function formatIsoDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  let out = "PT";
  if (h) out += `${h}H`;
  if (m) out += `${m}M`;
  if (s || out === "PT") out += `${s}S`;
  return out;
}
