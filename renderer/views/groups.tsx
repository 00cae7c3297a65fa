// The Groups tab: the user's eligibilities, filtered as they type, each with its policy at a glance.
import { useMemo, useState } from "preact/hooks";
import type { AppState, EligibleView } from "../../electron/shared/ipc-api.js";
import { minutesLabel } from "../format.js";
import type { Notify } from "../hooks.js";
import { ActivateForm } from "./activate-form.js";
import { GroupHint } from "./group-hint.js";

function Badges({ e }: { e: EligibleView }) {
  const p = e.policy;
  if (!p.known) return <span class="badge muted">policy unknown</span>;
  return (
    <span class="badges">
      {p.maxMinutes !== null && <span class="badge">max {minutesLabel(p.maxMinutes)}</span>}
      {p.approvalRequired && <span class="badge warn">approval</span>}
      {p.authContext ? (
        <span class="badge warn">context {p.authContext}</span>
      ) : p.mfaRequired ? (
        <span class="badge warn">MFA</span>
      ) : null}
      {p.ticketRequired && <span class="badge">ticket</span>}
      {p.justificationRequired && <span class="badge">justification</span>}
    </span>
  );
}

export function GroupsView({
  state,
  eligible,
  loading,
  notify,
  onChanged,
  focusGroup,
}: {
  state: AppState;
  eligible: EligibleView[];
  loading: boolean;
  notify: Notify;
  onChanged: () => void;
  focusGroup: string | null;
}) {
  const [filter, setFilter] = useState("");
  const [open, setOpen] = useState<string | null>(focusGroup);
  const shown = useMemo(() => {
    const k = filter.trim().toLowerCase();
    return k ? eligible.filter((e) => `${e.groupName} ${e.groupHint ?? ""}`.toLowerCase().includes(k)) : eligible;
  }, [filter, eligible]);
  const activeKeys = new Set(state.active.map((a) => `${a.groupId}:${a.accessId}`));
  const pendingKeys = new Set(state.pending.map((p) => `${p.groupId}:${p.accessId}`));
  return (
    <section aria-label="Eligible groups">
      <input
        class="search"
        type="search"
        placeholder="Filter groups"
        aria-label="Filter groups"
        value={filter}
        onInput={(ev) => setFilter((ev.target as HTMLInputElement).value)}
      />
      {loading && <p class="muted">Loading your eligible groups…</p>}
      {!loading && shown.length === 0 && (
        <p class="muted">
          {eligible.length ? "No group matches the filter." : "You have no PIM for Groups eligibilities."}
        </p>
      )}
      <ul class="list">
        {shown.map((e) => {
          const key = `${e.groupId}:${e.accessId}`;
          const isOpen = open === key;
          return (
            <li key={key} class="item" data-testid={`group-${e.groupName}-${e.accessId}`}>
              <div class="row">
                <div class="grow">
                  <div class="name">
                    {e.groupName} <span class={`role ${e.accessId}`}>{e.accessId}</span>
                  </div>
                  <GroupHint hint={e.groupHint} />
                  <Badges e={e} />
                </div>
                {activeKeys.has(key) ? (
                  <span class="state ok">active</span>
                ) : pendingKeys.has(key) ? (
                  <span class="state warn">pending</span>
                ) : (
                  <button type="button" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : key)}>
                    {isOpen ? "Close" : "Activate…"}
                  </button>
                )}
              </div>
              {isOpen && (
                <ActivateForm
                  e={e}
                  state={state}
                  notify={notify}
                  onDone={() => {
                    setOpen(null);
                    onChanged();
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
