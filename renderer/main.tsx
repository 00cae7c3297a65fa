// The popup's entry: holds the app state main pushes, and shows the sign-in panel or the tabs.
import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { AppState, EligibleView, PlaneStatusView, PolicyView, RowPolicy } from "../electron/shared/ipc-api.js";
import { useToasts } from "./hooks.js";
import { ActiveView } from "./views/active.js";
import { ApprovalsInbox, type ApprovalFocus } from "./views/approvals.js";
import { GroupsView } from "./views/groups.js";
import { ProfilesView } from "./views/profiles.js";
import { SettingsView } from "./views/settings.js";
import { SignInPanel } from "./views/sign-in.js";
import { TabBar, type Tab } from "./views/tab-bar.js";
import { TroubleshootView } from "./views/troubleshoot.js";

function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [eligible, setEligible] = useState<EligibleView[]>([]);
  // Policies main read after the list (pushed, or asked for), by row key. Never emptied while signed in: a
  // push may overtake the list it belongs to, and main pushes each policy once.
  const [policies, setPolicies] = useState<ReadonlyMap<string, PolicyView>>(() => new Map());
  const mergePolicies = useCallback((rows: RowPolicy[]) => {
    if (!rows.length) return;
    setPolicies((prev) => {
      const next = new Map(prev);
      for (const r of rows) next.set(r.key, r.policy);
      return next;
    });
  }, []);
  // Each plane's state: from every state push, and read again after each list (a list is what updates it).
  const [planes, setPlanes] = useState<PlaneStatusView[]>([]);
  const [loading, setLoading] = useState(false);
  /** The list shown is a long list's first part; main pushes the rest. */
  const [moreRows, setMoreRows] = useState(false);
  /** Set when the whole list arrives in a push while pim:eligible's answer (its first part) is on its way. */
  const wholeListPushed = useRef(false);
  const [tab, setTab] = useState<Tab>("groups");
  const [focusGroup, setFocusGroup] = useState<string | null>(null);
  const [focusApproval, setFocusApproval] = useState<ApprovalFocus | null>(null);
  // The Troubleshoot view, over the tabs (and over the sign-in panel: sign-in trouble is what it is for). The
  // number counts its openings: each one runs the checks again.
  const [troubleshoot, setTroubleshoot] = useState<number | null>(null);
  const openTroubleshoot = useCallback(() => setTroubleshoot((n) => (n ?? 0) + 1), []);
  const api = window.pimtray;

  const { toasts, notify } = useToasts();

  const loadEligible = useCallback(async () => {
    setLoading(true);
    try {
      // The list at once; its policies follow (a tenant with thousands of eligibilities waits for none).
      setMoreRows(false);
      wholeListPushed.current = false;
      const rows = await api.eligible({ policies: "later" });
      // The whole list may have been pushed before this answer (its first part) arrived: keep the whole list.
      if (!wholeListPushed.current) setEligible(rows);
      setPlanes(await api.planes());
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [api, notify]);

  const reload = useCallback(async () => {
    try {
      const s = await api.getState();
      setState(s);
      setPlanes(s.planes);
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  }, [api, notify]);

  useEffect(() => {
    void reload();
    const offs = [
      api.onState((s) => {
        setState(s);
        setPlanes(s.planes);
      }),
      api.onPolicies((p) => mergePolicies(p.policies)),
      // The rest of a long list (main answered with its first pages): the whole list so far each time.
      api.onEligibleRows((p) => {
        if (p.complete) wholeListPushed.current = true;
        setEligible(p.rows);
        setMoreRows(!p.complete);
        if (p.complete) void api.planes().then(setPlanes, () => undefined);
        if (p.error) notify("error", p.error);
      }),
      api.onEvent((e) => {
        // What the user just did is already confirmed by its own message; background news is not.
        if (e.type === "provisioned" || e.type === "pending-approval") return;
        // A new request to approve is the desktop notification's news; here the Approvals tab's count says it.
        if (e.type === "approval-requested") return;
        notify(
          e.type === "denied" || e.type === "failed" || e.type === "error" || e.type === "keep-active-stopped"
            ? "error"
            : "ok",
          `${e.title}. ${e.body}`,
        );
      }),
      api.onFocus((f) => {
        if (f.view === "troubleshoot") {
          openTroubleshoot();
          return;
        }
        setTroubleshoot(null);
        if (f.approval) {
          // A notification about a request to approve (or its Approve/Deny action): open it there.
          const approval = f.approval;
          setFocusApproval((prev) => ({ ...approval, seq: (prev?.seq ?? 0) + 1 }));
          setTab("approvals");
          return;
        }
        setFocusGroup(f.groupId);
        setTab(f.groupId ? "active" : "groups");
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, reload, notify, mergePolicies, openTroubleshoot]);

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
    // Another account may follow: its list starts with nothing known.
    else setPolicies(new Map());
  }, [signedIn, loadEligible]);

  if (!state) return <main class="loading">Loading…</main>;
  // The tab is there while "I approve requests" is on, or while anything waits (or a notification opened it).
  const approvalsShown = state.approvals.enabled || state.approvals.items.length > 0 || tab === "approvals";
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
      {troubleshoot !== null ? (
        <div class="panel">
          <TroubleshootView notify={notify} run={troubleshoot} onClose={() => setTroubleshoot(null)} />
        </div>
      ) : state.needsSignIn ? (
        <SignInPanel notify={notify} onSignedIn={setState} />
      ) : (
        <>
          <TabBar
            tab={tab}
            onSelect={setTab}
            activeCount={state.active.length + state.pending.length}
            approvals={approvalsShown ? state.approvals.items.length : null}
          />
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
            {tab === "groups" && (
              <GroupsView
                state={state}
                eligible={eligible}
                policies={policies}
                onPolicies={mergePolicies}
                planes={planes}
                loading={loading}
                moreRows={moreRows}
                notify={notify}
                onChanged={() => void reload()}
                onPlaneTurnedOn={() => void loadEligible()}
                focusGroup={focusGroup}
              />
            )}
            {tab === "active" && <ActiveView state={state} notify={notify} onChanged={() => void reload()} />}
            {tab === "approvals" && <ApprovalsInbox state={state} notify={notify} focus={focusApproval} />}
            {tab === "profiles" && <ProfilesView state={state} eligible={eligible} notify={notify} />}
            {tab === "settings" && (
              <SettingsView
                state={state}
                notify={notify}
                onPlanesChanged={() => void loadEligible()}
                onTroubleshoot={openTroubleshoot}
              />
            )}
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
