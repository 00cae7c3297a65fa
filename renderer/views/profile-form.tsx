// Editing one profile. The draft logic (profile ⇄ form fields ⇄ save request) is in profile-draft.ts.
import { useMemo, useState } from "preact/hooks";
import type { EligibleView, ProfileTargetView } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import type { Notify } from "../hooks.js";
import { saveRequestOf, withTarget, type ProfileDraft } from "../profile-draft.js";
import { TemplatePicker, type Organisation } from "./organisation.js";
import { Picklists, picksOf } from "./picklist.js";

export function ProfileForm({
  initial,
  eligible,
  previous = [],
  notify,
  onClose,
  templates,
}: {
  initial: ProfileDraft;
  eligible: EligibleView[];
  /** The profile's targets before this edit: kept as they were when no longer eligible. */
  previous?: readonly ProfileTargetView[];
  notify: Notify;
  onClose: () => void;
  /** The organisation's justification templates, offered for the default justification. */
  templates?: Organisation | undefined;
}) {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const picks = picksOf(eligible);
  const picked = useMemo(() => new Set(draft.targets), [draft.targets]);
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
      <input
        class="search"
        type="search"
        placeholder="Filter by name"
        aria-label="Filter the groups and roles to pick"
        value={filter}
        onInput={(ev) => setFilter((ev.target as HTMLInputElement).value)}
        // Enter in the filter is not "Save profile".
        onKeyDown={(ev) => ev.key === "Enter" && ev.preventDefault()}
      />
      <Picklists
        picks={picks}
        filter={filter}
        picked={picked}
        onPick={(k, on) => set({ targets: withTarget(draft.targets, k, on) })}
      />
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
      {templates && <TemplatePicker o={templates} id="pjust-templates" onPick={(t) => set({ justification: t })} />}
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
