// The profile editor's lists to pick from: one box per plane (groups, Entra ID roles, Azure roles), each a
// virtual list, so a tenant with thousands of eligibilities opens the editor and filters it as fast as a small
// one. The filter narrows every box at once; what is picked stays picked while the filter hides it.
import { useMemo, useRef } from "preact/hooks";
import type { EligibleView } from "../../electron/shared/ipc-api.js";
import { targetKey } from "../profile-draft.js";
import { kindOf, labelOf, PLANE_LABELS, testIdOf, type PlaneKind } from "../targets.js";
import { VirtualList } from "./virtual-list.js";

const PLANES: PlaneKind[] = ["group", "role", "azure"];
/** A pick row's height (one line) before any was measured. */
const PICK_ESTIMATE_PX = 22;

/** An eligibility with what filtering and keying it needs, worked out once per list (not per keystroke). */
export interface Pick {
  e: EligibleView;
  key: string;
  /** What the filter matches, lower-cased: the name, and the scope or the group's hint. */
  text: string;
  testId: string;
}

const pickOf = (e: EligibleView): Pick => ({
  e,
  key: targetKey(e),
  text: (e.kind === "role" || e.kind === "azure"
    ? `${e.roleName} ${e.scopeName}`
    : `${e.groupName} ${e.groupHint ?? ""}`
  ).toLowerCase(),
  testId: `pick-${kindOf(e)}-${testIdOf(e)}`,
});
const keyOfPick = (p: Pick) => p.key;
const testIdOfPick = (p: Pick) => p.testId;
const shapeOfPick = (p: Pick) => (p.e.groupHint ? "hint" : "plain");

type Picks = Record<PlaneKind, Pick[]>;
const picksOfList = new WeakMap<EligibleView[], Picks>();

/** The eligibilities of each plane, ready to filter: built once per list, not each time the editor opens. */
export function picksOf(eligible: EligibleView[]): Picks {
  let out = picksOfList.get(eligible);
  if (!out) {
    out = { group: [], role: [], azure: [] };
    for (const e of eligible) out[kindOf(e)].push(pickOf(e));
    picksOfList.set(eligible, out);
  }
  return out;
}

/** A longer filter than the last one looks only at what the last one kept. */
const narrow = (all: Pick[], k: string, last: { k: string; shown: Pick[] } | undefined) =>
  !k ? all : (last?.k && k.includes(last.k) ? last.shown : all).filter((p) => p.text.includes(k));

export function Picklists({
  picks,
  filter,
  picked,
  onPick,
}: {
  picks: Picks;
  /** What the person typed in the editor's filter. */
  filter: string;
  picked: ReadonlySet<string>;
  onPick: (key: string, on: boolean) => void;
}) {
  const k = filter.trim().toLowerCase();
  const last = useRef<{ picks: Picks; k: string; shown: Picks } | null>(null);
  const shown = useMemo(() => {
    const before = last.current?.picks === picks ? last.current : null;
    const f = (plane: PlaneKind) =>
      narrow(picks[plane], k, before ? { k: before.k, shown: before.shown[plane] } : undefined);
    const out = { group: f("group"), role: f("role"), azure: f("azure") };
    last.current = { picks, k, shown: out };
    return out;
  }, [picks, k]);
  const counts = useMemo(() => {
    const n = (ps: Pick[]) => ps.reduce((c, p) => (picked.has(p.key) ? c + 1 : c), 0);
    return { group: n(picks.group), role: n(picks.role), azure: n(picks.azure) };
  }, [picks, picked]);
  const renderPick = (p: Pick) => {
    const { e, key } = p;
    return (
      <label class="inline">
        <input
          type="checkbox"
          checked={picked.has(key)}
          onChange={(ev) => onPick(key, (ev.target as HTMLInputElement).checked)}
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
  };
  return (
    <>
      {PLANES.map((plane) => {
        const all = picks[plane];
        // Groups are always offered (as before); a plane with nothing eligible is left out.
        if (plane !== "group" && all.length === 0) return null;
        const rows = shown[plane];
        const count = counts[plane];
        return (
          <fieldset key={plane}>
            <legend>
              {PLANE_LABELS[plane].many}
              {count > 0 && <span class="muted small"> · {count} picked</span>}
            </legend>
            <div class="picklist" data-testid={`picklist-${plane}`}>
              {k && all.length > 0 && rows.length === 0 && <p class="muted small">Nothing matches the filter.</p>}
              <VirtualList
                items={rows}
                keyOf={keyOfPick}
                testIdOf={testIdOfPick}
                shapeOf={shapeOfPick}
                renderRow={renderPick}
                label={`${PLANE_LABELS[plane].many} to pick`}
                scroller="parent"
                listClass="picks"
                itemClass="pick"
                estimatePx={PICK_ESTIMATE_PX}
              />
            </div>
          </fieldset>
        );
      })}
    </>
  );
}
