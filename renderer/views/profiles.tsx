// The Profiles tab: saved sets of groups, roles and Azure roles, activated together; ordered, edited and deleted here.
import { useState } from "preact/hooks";
import type { AppState, EligibleView } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { minutesLabel } from "../format.js";
import { useAction, type Notify } from "../hooks.js";
import { draftOf, emptyDraft, type ProfileDraft } from "../profile-draft.js";
import { profileTargetLabel } from "../targets.js";
import { Lock } from "./organisation.js";
import { ProfileForm } from "./profile-form.js";

export function ProfilesView({
  state,
  eligible,
  notify,
}: {
  state: AppState;
  eligible: EligibleView[];
  notify: Notify;
}) {
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  const { busy, run } = useAction(notify);
  // The organisation's profiles always come first, in the policy's order: only the person's own are moved.
  const firstOwn = state.profiles.filter((p) => p.managed).length;
  const move = (i: number, d: -1 | 1) => {
    const ids = state.profiles.map((p) => p.id);
    const j = i + d;
    if (j < firstOwn || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j] ?? "", ids[i] ?? ""];
    void run("reorder", () => api().reorderProfiles({ ids }));
  };
  if (draft)
    return (
      <ProfileForm
        initial={draft}
        eligible={eligible}
        previous={state.profiles.find((p) => p.id === draft.id)?.targets ?? []}
        notify={notify}
        onClose={() => setDraft(null)}
        templates={state.organisation}
      />
    );
  return (
    <section aria-label="Profiles">
      <div class="row">
        <h2 class="grow">Profiles</h2>
        <button type="button" onClick={() => setDraft(emptyDraft())}>
          New profile
        </button>
      </div>
      {state.profiles.length === 0 && (
        <p class="muted">A profile activates several groups at once, with a default duration and justification.</p>
      )}
      <ul class="list">
        {state.profiles.map((p, i) => (
          <li key={p.id} class="item" data-testid={`profile-${p.name}`}>
            <div class="row">
              <div class="grow">
                <div class="name">
                  {p.managed && <Lock />} {p.name}
                </div>
                <div class="muted small">
                  {p.targets.map((t) => profileTargetLabel(t, eligible)).join(", ")} ·{" "}
                  {p.durationMinutes ? minutesLabel(p.durationMinutes) : "policy maximum"}
                  {p.autoActivate ? " · at login" : ""}
                  {p.keepActive.enabled ? " · kept active" : ""}
                  {p.managed ? " · set by your organisation" : ""}
                </div>
              </div>
              <button
                type="button"
                class="primary"
                disabled={busy !== null}
                onClick={() =>
                  void run(`act-${p.id}`, async () => {
                    const outs = await api().activateProfile({ id: p.id });
                    const failed = outs.filter((o) => o.error || o.status === "failed" || o.status === "denied");
                    notify(
                      failed.length ? "error" : "ok",
                      outs.length
                        ? outs.map((o) => o.message).join(" ")
                        : `Everything in ${p.name} is already active or pending.`,
                    );
                  })
                }
              >
                {busy === `act-${p.id}` ? "Working…" : "Activate"}
              </button>
            </div>
            {/* The organisation's profiles are activated, not changed: no Edit, no moving, no Delete. */}
            {!p.managed && (
              <div class="row small">
                <button type="button" class="link" onClick={() => setDraft(draftOf(p))}>
                  Edit
                </button>
                <button
                  type="button"
                  class="link"
                  aria-label={`Move ${p.name} up`}
                  disabled={i <= firstOwn}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="link"
                  aria-label={`Move ${p.name} down`}
                  disabled={i === state.profiles.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="link danger"
                  onClick={() =>
                    void run(
                      `del-${p.id}`,
                      async () => (
                        await api().deleteProfile({ id: p.id }),
                        notify("ok", `Profile '${p.name}' deleted.`)
                      ),
                    )
                  }
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
