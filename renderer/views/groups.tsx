// The first tab: everything the user may activate (groups, Entra ID roles, Azure roles), filtered by
// plane and as they type, each with its policy at a glance and, for roles, the scope it applies to.
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AppState, EligibleView, PlaneStatusView, PolicyView, RowPolicy } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { minutesLabel } from "../format.js";
import type { Notify } from "../hooks.js";
import { kindOf, nameOf, targetKey, testIdOf, type PlaneKind } from "../targets.js";
import { ActivateForm } from "./activate-form.js";
import { GroupHint } from "./group-hint.js";
import { PlaneFilter, PlaneNotes, type PlaneChoice } from "./plane-filter.js";
import { VirtualList } from "./virtual-list.js";

function Badges({ p }: { p: PolicyView }) {
  // Main reads a long list's policies after showing it: a row says so until its policy arrives.
  if (p.status === "loading")
    return (
      <span class="badges">
        <span class="badge muted loading" data-testid="policy-loading">
          policy loading…
        </span>
      </span>
    );
  if (p.status === "unread") return <span class="badge muted">policy not read</span>;
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

/** A row of the list with what filtering and keying it needs, worked out once per list (not per keystroke). */
interface Row {
  e: EligibleView;
  key: string;
  kind: PlaneKind;
  /** What the filter matches, lower-cased: the name, and the scope or the group's hint. */
  text: string;
  testId: string;
}

const rowOf = (e: EligibleView): Row => ({
  e,
  key: targetKey(e),
  kind: kindOf(e),
  text: (e.kind === "role" || e.kind === "azure"
    ? `${e.roleName} ${e.scopeName}`
    : `${e.groupName} ${e.groupHint ?? ""}`
  ).toLowerCase(),
  testId: rowTestId(e),
});
/** The rows of a list, and of each plane: worked out once per list, not each time the tab is opened. */
const rowsOfList = new WeakMap<EligibleView[], { all: Row[]; group: Row[]; role: Row[]; azure: Row[] }>();
function rowsOf(eligible: EligibleView[]) {
  let out = rowsOfList.get(eligible);
  if (!out) {
    const all = eligible.map(rowOf);
    out = { all, group: [], role: [], azure: [] };
    for (const r of all) out[r.kind].push(r);
    rowsOfList.set(eligible, out);
  }
  return out;
}

/**
 * The rows whose text holds `k` (lower case), from `rows`. A longer filter than the last one looks only at what
 * the last one kept (typing on narrows hundreds of rows, not thousands).
 */
function filterRows(rows: Row[], k: string, last: { rows: Row[]; k: string; shown: Row[] } | null): Row[] {
  if (!k) return rows;
  const from = last && last.rows === rows && last.k && k.includes(last.k) ? last.shown : rows;
  return from.filter((r) => r.text.includes(k));
}
const keyOfRow = (r: Row) => r.key;
/** Rows of a plane, with or without a second line (a scope, a group's hint), are about one height. */
const shapeOfRow = (r: Row) => (r.e.groupHint ? `${r.kind}+hint` : r.kind);
const testIdOfRow = (r: Row) => r.testId;

/** How long the rows on screen stay put before main is asked to read their policies first. */
const ASK_FIRST_MS = 120;

const EMPTY: Record<PlaneChoice, string> = {
  all: "You have nothing eligible in PIM.",
  group: "You have no PIM for Groups eligibilities.",
  role: "You have no eligible Entra ID roles.",
  azure: "You have no eligible Azure roles.",
};

export function GroupsView({
  state,
  eligible,
  policies,
  onPolicies,
  planes,
  loading,
  moreRows,
  notify,
  onChanged,
  onPlaneTurnedOn,
  focusGroup,
}: {
  state: AppState;
  eligible: EligibleView[];
  /** Policies main read after the list, by row key: newer than the rows' own. */
  policies: ReadonlyMap<string, PolicyView>;
  /** Policies read on request (the rows on screen, the row being activated). */
  onPolicies: (rows: RowPolicy[]) => void;
  /** Each plane's latest state: the filter's badges and the notes under it. */
  planes: PlaneStatusView[];
  loading: boolean;
  /** The list is a long list's first part; the rest is on its way. */
  moreRows?: boolean | undefined;
  notify: Notify;
  onChanged: () => void;
  /** After "Turn on Azure roles" (or Entra ID roles): read the list again. */
  onPlaneTurnedOn: () => void;
  focusGroup: string | null;
}) {
  const [filter, setFilter] = useState("");
  const [plane, setPlane] = useState<PlaneChoice>("all");
  const [open, setOpen] = useState<string | null>(focusGroup);
  const byPlane = rowsOf(eligible);
  const rows = byPlane.all;
  const onPlane = plane === "all" ? rows : byPlane[plane];
  const lastFilter = useRef<{ rows: Row[]; k: string; shown: Row[] } | null>(null);
  const shown = useMemo(() => {
    const k = filter.trim().toLowerCase();
    const out = filterRows(onPlane, k, lastFilter.current);
    lastFilter.current = { rows: onPlane, k, shown: out };
    return out;
  }, [filter, onPlane]);
  const policyOf = useCallback((r: Row) => policies.get(r.key) ?? r.e.policy, [policies]);
  const counts: Record<PlaneKind, number> = {
    group: byPlane.group.length,
    role: byPlane.role.length,
    azure: byPlane.azure.length,
  };
  const stillLoading = useMemo(() => rows.filter((r) => policyOf(r).status === "loading").length, [rows, policyOf]);
  const activeKeys = new Set(state.active.map(targetKey));
  const pendingKeys = new Set(state.pending.map(targetKey));

  // The rows on screen whose policies are still loading are read next (main reads the list's in order).
  const asked = useRef(new Set<string>());
  const askTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (askTimer.current && clearTimeout(askTimer.current)), []);
  const onRange = useCallback(
    (start: number, end: number) => {
      if (askTimer.current) clearTimeout(askTimer.current);
      const keys = shown
        .slice(start, end)
        .filter((r) => policyOf(r).status === "loading" && !asked.current.has(r.key))
        .map((r) => r.key);
      if (!keys.length) return;
      askTimer.current = setTimeout(() => {
        for (const k of keys) asked.current.add(k);
        api()
          .policies({ keys: keys.slice(0, 200) })
          .then(onPolicies)
          // What could not be read shows as such through the pushes; nothing to tell here.
          .catch(() => undefined);
      }, ASK_FIRST_MS);
    },
    [shown, policyOf, onPolicies],
  );

  const renderRow = (r: Row) => {
    const { e, key } = r;
    const isOpen = open === key;
    const policy = policyOf(r);
    return (
      <>
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
            <Badges p={policy} />
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
            policy={policy}
            onPolicy={(p) => onPolicies([{ key, policy: p }])}
            state={state}
            notify={notify}
            onDone={() => {
              setOpen(null);
              onChanged();
            }}
          />
        )}
      </>
    );
  };

  return (
    <section aria-label="Eligible groups and roles">
      <PlaneFilter
        value={plane}
        onChange={setPlane}
        planes={planes}
        counts={(k) => counts[k]}
        total={eligible.length}
      />
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
      {!loading && moreRows && (
        <p class="muted small" data-testid="rows-progress">
          More eligibilities arriving: {eligible.length} so far. You can filter and activate meanwhile.
        </p>
      )}
      {stillLoading > 0 && (
        <p class="muted small" data-testid="policy-progress">
          Reading policies: {stillLoading} of {eligible.length} to go. You can filter and activate meanwhile.
        </p>
      )}
      {!loading && shown.length === 0 && (
        <p class="muted">{onPlane.length ? "Nothing matches the filter." : EMPTY[plane]}</p>
      )}
      <VirtualList
        items={shown}
        keyOf={keyOfRow}
        testIdOf={testIdOfRow}
        shapeOf={shapeOfRow}
        renderRow={renderRow}
        label="Eligible groups and roles"
        pinned={[open]}
        onRange={onRange}
      />
    </section>
  );
}
