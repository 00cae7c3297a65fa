// Small formatting helpers for the popup.

export function countdown(ms: number): string {
  if (ms <= 0) return "ended";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h} h ${String(m).padStart(2, "0")} min` : `${m}:${String(sec).padStart(2, "0")}`;
}

export function clock(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : "—";
}

export function minutesLabel(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

/** How long until an approval stage times out, in the words the inbox uses: "times out in 23 h". */
export function timesOutIn(ms: number): string {
  if (ms <= 0) return "timed out";
  const min = Math.ceil(ms / 60_000);
  // Above two hours the minutes are noise: "23 h" reads better than "23 h 41 min".
  if (min >= 120) return `times out in ${Math.floor(min / 60)} h`;
  return `times out in ${minutesLabel(min)}`;
}

/** A moment as a person reads it: the time today, else the day and time ("Tue 14:30"). */
export function moment(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date(now).toDateString();
  return d.toLocaleString(
    undefined,
    sameDay
      ? { hour: "2-digit", minute: "2-digit" }
      : { weekday: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
  );
}
