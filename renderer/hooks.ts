// Hooks the views share: toasts, busy-flagged actions and a ticking clock.
import { useCallback, useEffect, useState } from "preact/hooks";

export type Notify = (kind: "ok" | "error", text: string) => void;

export interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

/** The last three messages; errors stay longer, since they usually ask the user to do something. */
export function useToasts(): { toasts: Toast[]; notify: Notify } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const notify: Notify = useCallback((kind, text) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-2), { id, kind, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === "error" ? 12_000 : 6000);
  }, []);
  return { toasts, notify };
}

/** Runs an action with a busy flag and plain-language errors. */
export function useAction(notify: Notify) {
  const [busy, setBusy] = useState<string | null>(null);
  const run = async <T>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(label);
    try {
      return await fn();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

/** The current time, re-read every `intervalMs`: what countdowns render from. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
