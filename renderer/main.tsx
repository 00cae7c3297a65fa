import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { AppState, EligibleView } from "../electron/shared/ipc-api.js";
import { ActiveView, ConsentNeeded, GroupsView, ProfilesView, SettingsView, type Notify } from "./views.js";

type Tab = "groups" | "active" | "profiles" | "settings";
const TABS: Array<{ id: Tab; label: string }> = [
  { id: "groups", label: "Groups" },
  { id: "active", label: "Active" },
  { id: "profiles", label: "Profiles" },
  { id: "settings", label: "Settings" },
];

interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [eligible, setEligible] = useState<EligibleView[]>([]);
  const [loading, setLoading] = useState(false);
  const [tab, setTab] = useState<Tab>("groups");
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [focusGroup, setFocusGroup] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [consent, setConsent] = useState<{ message: string; url: string } | null>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const api = window.pimtray;

  const notify: Notify = useCallback((kind, text) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-2), { id, kind, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === "error" ? 12_000 : 6000);
  }, []);

  const loadEligible = useCallback(async () => {
    setLoading(true);
    try {
      setEligible(await api.eligible({}));
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [api, notify]);

  const reload = useCallback(async () => {
    try {
      setState(await api.getState());
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  }, [api, notify]);

  useEffect(() => {
    void reload();
    const offs = [
      api.onState((s) => setState(s)),
      api.onEvent((e) => {
        // What the user just did is already confirmed by its own message; background news is not.
        if (e.type === "provisioned" || e.type === "pending-approval") return;
        notify(e.type === "denied" || e.type === "failed" || e.type === "error" || e.type === "keep-active-stopped" ? "error" : "ok", `${e.title}. ${e.body}`);
      }),
      api.onFocus((f) => {
        setFocusGroup(f.groupId);
        setTab(f.groupId ? "active" : "groups");
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, reload, notify]);

  useEffect(() => {
    // Escape puts the popup back in the tray, as tray popups do.
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === "Escape" && !ev.defaultPrevented) void api.hide().catch(() => undefined);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [api]);

  const signedIn = Boolean(state && !state.needsSignIn);
  useEffect(() => {
    if (signedIn) void loadEligible();
  }, [signedIn, loadEligible]);

  const onTabKey = (ev: KeyboardEvent, i: number) => {
    const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    const next = (i + d + TABS.length) % TABS.length;
    setTab(TABS[next]?.id ?? "groups");
    tabRefs.current[next]?.focus();
  };

  if (!state) return <main class="loading">Loading…</main>;
  return (
    <main>
      <header class="row">
        <div class="grow">
          <strong>PIM Tray</strong>
          <div class="muted small">{state.account ? state.account.username : "not signed in"}</div>
        </div>
        {!state.online && (
          <span class="state warn" title="Microsoft Graph cannot be reached; PIM Tray keeps trying">
            offline
          </span>
        )}
      </header>
      {state.needsSignIn ? (
        <section class="signin" aria-label="Sign in">
          <p>Sign in with your work account to see the groups you can activate.</p>
          <button
            type="button"
            class="primary"
            disabled={signingIn}
            onClick={() => {
              setSigningIn(true);
              setConsent(null);
              void api
                .signIn({})
                .then((s) => setState(s))
                .catch((e: unknown) => {
                  const { kind, adminConsentUrl } = e as { kind?: string; adminConsentUrl?: string };
                  if (kind === "consent" && adminConsentUrl) setConsent({ message: e instanceof Error ? e.message : String(e), url: adminConsentUrl });
                  else notify("error", e instanceof Error ? e.message : String(e));
                })
                .finally(() => setSigningIn(false));
            }}
          >
            {signingIn ? "Waiting for your browser…" : "Sign in"}
          </button>
          <p class="muted small">Your browser opens for sign-in; PIM Tray never sees your password.</p>
          {consent ? <ConsentNeeded message={consent.message} url={consent.url} notify={notify} /> : null}
        </section>
      ) : (
        <>
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
                onClick={() => setTab(t.id)}
                onKeyDown={(ev) => onTabKey(ev, i)}
              >
                {t.label}
                {t.id === "active" && state.active.length + state.pending.length > 0 ? <span class="count">{state.active.length + state.pending.length}</span> : null}
              </button>
            ))}
          </nav>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
            {tab === "groups" && <GroupsView state={state} eligible={eligible} loading={loading} notify={notify} onChanged={() => void reload()} focusGroup={focusGroup} />}
            {tab === "active" && <ActiveView state={state} notify={notify} onChanged={() => void reload()} />}
            {tab === "profiles" && <ProfilesView state={state} eligible={eligible} notify={notify} />}
            {tab === "settings" && <SettingsView state={state} notify={notify} />}
          </div>
        </>
      )}
      <div class="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} class={`toast ${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
            {t.text}
          </div>
        ))}
      </div>
    </main>
  );
}

const root = document.getElementById("root");
if (root) render(<App />, root);
