// The first tab: everything the user may activate (groups, Entra ID roles, Azure roles), filtered by
// plane and as they type, each with its policy at a glance and, for roles, the scope it applies to.
import { useMemo, useState } from "preact/hooks";
import type { AppState, EligibleView, PlaneStatusView } from "../../electron/shared/ipc-api.js";
import { minutesLabel } from "../format.js";
import type { Notify } from "../hooks.js";
import { kindOf, nameOf, targetKey, testIdOf, type PlaneKind } from "../targets.js";
import { ActivateForm } from "./activate-form.js";
import { GroupHint } from "./group-hint.js";
import { PlaneFilter, PlaneNotes, type PlaneChoice } from "./plane-filter.js";

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

const SCOPE_TYPES: Record<string, string> = {
  managementgroup: "Management group",
  subscription: "Subscription",
  resourcegroup: "Resource group",
  resource: "Resource",
};

/** Where a role applies: the directory, an administrative unit, or an Azure scope. */
export function ScopeLine({ e }: { e: EligibleView }) {
  if (e.kind === "role")
    return (
      <div class="muted small scope" title={e.scope}>
        {e.scope === "/" ? "Directory (the whole tenant)" : `Administrative unit: ${e.scopeName}`}
      </div>
    );
  if (e.kind === "azure")
    return (
      <div class="muted small scope" title={e.scope}>
        {SCOPE_TYPES[e.scopeType.toLowerCase()] ?? "Scope"}: {e.scopeName}
      </div>
    );
  return null;
}

/** The test id a row has had since there were groups only ("group-Finance Admins-member"), or its plane's. */
const rowTestId = (e: EligibleView) => `${kindOf(e)}-${testIdOf(e)}`;

const EMPTY: Record<PlaneChoice, string> = {
  all: "You have nothing eligible in PIM.",
  group: "You have no PIM for Groups eligibilities.",
  role: "You have no eligible Entra ID roles.",
  azure: "You have no eligible Azure roles.",
};

export function GroupsView({
  state,
  eligible,
  planes,
  loading,
  notify,
  onChanged,
  onPlaneTurnedOn,
  focusGroup,
}: {
  state: AppState;
  eligible: EligibleView[];
  /** Each plane's latest state: the filter's badges and the notes under it. */
  planes: PlaneStatusView[];
  loading: boolean;
  notify: Notify;
  onChanged: () => void;
  /** After "Turn on Azure roles" (or Entra ID roles): read the list again. */
  onPlaneTurnedOn: () => void;
  focusGroup: string | null;
}) {
  const [filter, setFilter] = useState("");
  const [plane, setPlane] = useState<PlaneChoice>("all");
  const [open, setOpen] = useState<string | null>(focusGroup);
  const onPlane = useMemo(
    () => (plane === "all" ? eligible : eligible.filter((e) => kindOf(e) === plane)),
    [plane, eligible],
  );
  const shown = useMemo(() => {
    const k = filter.trim().toLowerCase();
    if (!k) return onPlane;
    return onPlane.filter((e) =>
      (e.kind === "role" || e.kind === "azure" ? `${e.roleName} ${e.scopeName}` : `${e.groupName} ${e.groupHint ?? ""}`)
        .toLowerCase()
        .includes(k),
    );
  }, [filter, onPlane]);
  const activeKeys = new Set(state.active.map(targetKey));
  const pendingKeys = new Set(state.pending.map(targetKey));
  const counts = (k: PlaneKind) => eligible.filter((e) => kindOf(e) === k).length;
  return (
    <section aria-label="Eligible groups and roles">
      <PlaneFilter value={plane} onChange={setPlane} planes={planes} counts={counts} total={eligible.length} />
      <PlaneNotes planes={planes} notify={notify} onTurnedOn={onPlaneTurnedOn} />
      <input
        class="search"
        type="search"
        placeholder="Filter by name"
        aria-label="Filter groups and roles"
        value={filter}
        onInput={(ev) => setFilter((ev.target as HTMLInputElement).value)}
      />
      {loading && <p class="muted">Loading your eligible groups and roles…</p>}
      {!loading && shown.length === 0 && (
        <p class="muted">{onPlane.length ? "Nothing matches the filter." : EMPTY[plane]}</p>
      )}
      <ul class="list">
        {shown.map((e) => {
          const key = targetKey(e);
          const isOpen = open === key;
          return (
            <li key={key} class="item" data-testid={rowTestId(e)}>
              <div class="row">
                <div class="grow">
                  <div class="name">
                    {nameOf(e)}{" "}
                    {e.kind === "role" || e.kind === "azure" ? (
                      <span class={`plane ${e.kind}`}>{e.kind === "role" ? "Entra ID role" : "Azure role"}</span>
                    ) : (
                      <span class={`role ${e.accessId}`}>{e.accessId}</span>
                    )}
                  </div>
                  {e.kind === "role" || e.kind === "azure" ? <ScopeLine e={e} /> : <GroupHint hint={e.groupHint} />}
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
