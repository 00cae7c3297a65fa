// Editing one profile. The draft logic (profile ⇄ form fields ⇄ save request) is in profile-draft.ts.
import { useState } from "preact/hooks";
import type { EligibleView, ProfileTargetView } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import type { Notify } from "../hooks.js";
import { saveRequestOf, targetKey, withTarget, type ProfileDraft } from "../profile-draft.js";
import { kindOf, labelOf, PLANE_LABELS, type PlaneKind } from "../targets.js";

const PLANES: PlaneKind[] = ["group", "role", "azure"];

export function ProfileForm({
  initial,
  eligible,
  previous = [],
  notify,
  onClose,
}: {
  initial: ProfileDraft;
  eligible: EligibleView[];
  /** The profile's targets before this edit: kept as they were when no longer eligible. */
  previous?: readonly ProfileTargetView[];
  notify: Notify;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<ProfileDraft>) => setDraft({ ...draft, ...patch });
  const save = async (ev: Event) => {
    ev.preventDefault();
    setProblem(null);
    const out = saveRequestOf(draft, eligible, previous);
    if (!out.ok) return setProblem(out.problem);
    try {
      await api().saveProfile(out.request);
      notify("ok", `Profile '${draft.name}' saved.`);
      onClose();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="profile-form" onSubmit={save} aria-label="Profile">
      <label for="pname">Name</label>
      <input id="pname" value={draft.name} onInput={(ev) => set({ name: (ev.target as HTMLInputElement).value })} />
      {PLANES.map((plane) => {
        const rows = eligible.filter((e) => kindOf(e) === plane);
        // Groups are always offered (as before); a plane with nothing eligible is left out.
        if (plane !== "group" && rows.length === 0) return null;
        return (
          <fieldset key={plane}>
            <legend>{PLANE_LABELS[plane].many}</legend>
            <div class="picklist">
              {rows.map((e) => {
                const k = targetKey(e);
                return (
                  <label key={k} class="inline">
                    <input
                      type="checkbox"
                      checked={draft.targets.includes(k)}
                      onChange={(ev) =>
                        set({ targets: withTarget(draft.targets, k, (ev.target as HTMLInputElement).checked) })
                      }
                    />{" "}
                    {e.kind === "role" || e.kind === "azure" ? (
                      labelOf(e)
                    ) : (
                      <>
                        {e.groupName}
                        {e.groupHint ? <span class="muted small"> ({e.groupHint})</span> : null}{" "}
                        <span class={`role ${e.accessId}`}>{e.accessId}</span>
                      </>
                    )}
                  </label>
                );
              })}
            </div>
          </fieldset>
        );
      })}
      <label for="pdur">Duration in minutes (empty: the policy's maximum)</label>
      <input
        id="pdur"
        type="number"
        min={5}
        value={draft.durationMinutes}
        onInput={(ev) => set({ durationMinutes: (ev.target as HTMLInputElement).value })}
      />
      <label for="pjust">Default justification</label>
      <textarea
        id="pjust"
        rows={2}
        value={draft.justification}
        onInput={(ev) => set({ justification: (ev.target as HTMLTextAreaElement).value })}
      />
      <div class="row">
        <label class="inline">
          Ticket system{" "}
          <input
            aria-label="Ticket system"
            value={draft.ticketSystem}
            onInput={(ev) => set({ ticketSystem: (ev.target as HTMLInputElement).value })}
          />
        </label>
        <label class="inline">
          number{" "}
          <input
            aria-label="Ticket number"
            value={draft.ticketNumber}
            onInput={(ev) => set({ ticketNumber: (ev.target as HTMLInputElement).value })}
          />
        </label>
      </div>
      <label class="inline">
        <input
          type="checkbox"
          checked={draft.autoActivate}
          onChange={(ev) => set({ autoActivate: (ev.target as HTMLInputElement).checked })}
        />{" "}
        Activate at login
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={draft.keepActive}
          onChange={(ev) => set({ keepActive: (ev.target as HTMLInputElement).checked })}
        />{" "}
        Keep active
      </label>
      {draft.keepActive && (
        <div class="row">
          <label class="inline">
            until{" "}
            <input
              type="time"
              aria-label="Keep active until"
              value={draft.until}
              onInput={(ev) => set({ until: (ev.target as HTMLInputElement).value })}
            />
          </label>
          <label class="inline">
            or at most{" "}
            <input
              type="number"
              class="num"
              min={1}
              aria-label="Maximum renewals"
              value={draft.maxRenewals}
              onInput={(ev) => set({ maxRenewals: (ev.target as HTMLInputElement).value })}
            />{" "}
            renewals
          </label>
        </div>
      )}
      <label for="pleads">Warn before expiry (minutes, e.g. 10, 2; empty: the default)</label>
      <input id="pleads" value={draft.leads} onInput={(ev) => set({ leads: (ev.target as HTMLInputElement).value })} />
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary">
          Save profile
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
