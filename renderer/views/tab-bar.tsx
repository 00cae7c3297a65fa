// The popup's sections, as an ARIA tab list: arrow keys move between tabs, as in any tab strip.
import { useRef } from "preact/hooks";

export type Tab = "groups" | "active" | "profiles" | "settings";
const TABS: Array<{ id: Tab; label: string }> = [
  // Still "groups" inside: the tab holds groups, Entra ID roles and Azure roles now.
  { id: "groups", label: "Groups & roles" },
  { id: "active", label: "Active" },
  { id: "profiles", label: "Profiles" },
  { id: "settings", label: "Settings" },
];

/** `activeCount`: what is active or pending, shown on the Active tab when there is any. */
export function TabBar({ tab, onSelect, activeCount }: { tab: Tab; onSelect: (t: Tab) => void; activeCount: number }) {
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const onTabKey = (ev: KeyboardEvent, i: number) => {
    const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    const next = (i + d + TABS.length) % TABS.length;
    onSelect(TABS[next]?.id ?? "groups");
    tabRefs.current[next]?.focus();
  };
  return (
    <nav role="tablist" aria-label="Sections" class="tabs">
      {TABS.map((t, i) => (
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
          {t.id === "active" && activeCount > 0 ? <span class="count">{activeCount}</span> : null}
        </button>
      ))}
    </nav>
  );
}
