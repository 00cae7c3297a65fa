// Which plane the list shows (All, Groups, Entra ID roles, Azure roles), each with its count, and a
// note for a plane that needs consent, a sign-in or cannot be reached, with the button that turns it on.
import type { PlaneStatusView } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { useAction, type Notify } from "../hooks.js";
import { PLANE_LABELS, type PlaneKind } from "../targets.js";

export type PlaneChoice = "all" | PlaneKind;

const CHOICES: PlaneChoice[] = ["all", "group", "role", "azure"];

/** A plane's state in two words, for its badge; nothing when all is well. */
const STATE_WORDS: Partial<Record<PlaneStatusView["state"], string>> = {
  off: "off",
  "needs-consent": "needs consent",
  "needs-sign-in": "needs sign-in",
  unreachable: "unreachable",
  error: "error",
};

export function PlaneFilter({
  value,
  onChange,
  planes,
  counts,
  total,
}: {
  value: PlaneChoice;
  onChange: (p: PlaneChoice) => void;
  planes: PlaneStatusView[];
  counts: (k: PlaneKind) => number;
  total: number;
}) {
  return (
    <div class="planes" role="group" aria-label="Show">
      {CHOICES.map((c) => {
        const status = c === "all" ? undefined : planes.find((p) => p.kind === c);
        const word = status ? STATE_WORDS[status.state] : undefined;
        return (
          <button
            key={c}
            type="button"
            class="plane-choice"
            aria-pressed={value === c}
            data-testid={`plane-${c}`}
            onClick={() => onChange(c)}
          >
            {c === "all" ? "All" : PLANE_LABELS[c].many}{" "}
            {word ? (
              <span class="badge warn" title={status?.note ?? undefined}>
                {word}
              </span>
            ) : (
              <span class="count">{c === "all" ? total : counts(c)}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}

/** One line per plane that is not working, in the engine's words; "Turn on …" where a sign-in may fix it. */
export function PlaneNotes({
  planes,
  notify,
  onTurnedOn,
}: {
  planes: PlaneStatusView[];
  notify: Notify;
  onTurnedOn: () => void;
}) {
  const { busy, run } = useAction(notify);
  const troubled = planes.filter((p) => p.note && p.state !== "ok" && p.state !== "not-tried" && p.state !== "off");
  if (!troubled.length) return null;
  return (
    <div class="plane-notes">
      {troubled.map((p) => (
        <div key={p.kind} class="warning plane-note" data-testid={`plane-note-${p.kind}`}>
          <span class="grow">{p.note}</span>
          {p.canTurnOn && p.kind !== "group" && (
            <button
              type="button"
              disabled={busy !== null}
              onClick={() =>
                void run(`on-${p.kind}`, async () => {
                  await api().turnOnPlane({ plane: p.kind === "role" ? "role" : "azure" });
                  notify("ok", `${p.label} are on.`);
                  onTurnedOn();
                })
              }
            >
              {busy === `on-${p.kind}` ? "Working…" : `Turn on ${p.label}`}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
