// The popup's sections, as an ARIA tab list: arrow keys move between tabs, as in any tab strip.
import { useRef } from "preact/hooks";

export type Tab = "groups" | "active" | "approvals" | "profiles" | "settings";
const TABS: Array<{ id: Tab; label: string }> = [
  // Still "groups" inside: the tab holds groups, Entra ID roles and Azure roles now.
  { id: "groups", label: "Groups & roles" },
  { id: "active", label: "Active" },
  { id: "approvals", label: "Approvals" },
  { id: "profiles", label: "Profiles" },
  { id: "settings", label: "Settings" },
];

/**
 * `activeCount`: what is active or pending, shown on the Active tab when there is any. `approvals`: the
 * requests waiting for my decision, shown on the Approvals tab; null hides the tab (approvals are off).
 */
export function TabBar({
  tab,
  onSelect,
  activeCount,
  approvals,
}: {
  tab: Tab;
  onSelect: (t: Tab) => void;
  activeCount: number;
  approvals: number | null;
}) {
  const tabs = TABS.filter((t) => t.id !== "approvals" || approvals !== null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const onTabKey = (ev: KeyboardEvent, i: number) => {
    const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    const next = (i + d + tabs.length) % tabs.length;
    onSelect(tabs[next]?.id ?? "groups");
    tabRefs.current[next]?.focus();
  };
  const count = (t: Tab) => (t === "active" ? activeCount : t === "approvals" ? (approvals ?? 0) : 0);
  return (
    <nav role="tablist" aria-label="Sections" class="tabs">
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            tabRefs.current[i] = el;
          }}
          role="tab"
          type="button"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={tab === t.id ? 0 : -1}
          onClick={() => onSelect(t.id)}
          onKeyDown={(ev) => onTabKey(ev, i)}
        >
          {t.label}
          {/* The space makes the tab's name "Approvals 2" to a screen reader, not "Approvals2". */}
          {count(t.id) > 0 ? (
            <>
              {" "}
              <span class="count">{count(t.id)}</span>
            </>
          ) : null}
        </button>
      ))}
    </nav>
  );
}
