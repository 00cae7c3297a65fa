import { useEffect, useMemo, useState } from "preact/hooks";
import type { AppState, EligibleView, OutcomeView, ProfileView } from "../electron/shared/ipc-api.js";
import { clock, countdown, minutesLabel } from "./format.js";

const api = () => window.pimtray;

export type Notify = (kind: "ok" | "error", text: string) => void;

/** Runs an action with a busy flag and plain-language errors. */
export function useAction(notify: Notify) {
  const [busy, setBusy] = useState<string | null>(null);
  const run = async <T,>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(label);
    try {
      return await fn();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

/** What tells a group apart from another with the same name; nothing for a unique name. */
function GroupHint({ hint }: { hint: string | null | undefined }) {
  return hint ? <div class="muted small hint">{hint}</div> : null;
}

function targetLabel(t: { groupId: string; groupName?: string | undefined }, eligible: EligibleView[]): string {
  const hint = eligible.find((e) => e.groupId === t.groupId)?.groupHint;
  const name = t.groupName ?? t.groupId;
  return hint ? `${name} (${hint})` : name;
}

/**
 * Sign-in ended on "Need admin approval": what to ask an administrator for, and where. It stays
 * in the sign-in panel (a toast would be gone before the address could be copied).
 */
export function ConsentNeeded({ message, url, notify }: { message: string; url: string; notify: Notify }) {
  const copy = () => {
    const field = document.getElementById("consent-url") as HTMLInputElement | null;
    field?.select();
    // execCommand needs no clipboard permission, which the app's session denies.
    const copied = document.execCommand("copy");
    notify(copied ? "ok" : "error", copied ? "The admin-consent address is copied." : "Select the address and copy it.");
  };
  return (
    <div class="consent" role="alert">
      <strong>An administrator must approve PIM Tray's sign-in for your organisation</strong>
      <p class="small" style="white-space: pre-line">{message}</p>
      <label for="consent-url">Admin-consent address</label>
      <div class="row">
        <input id="consent-url" class="grow" readOnly value={url} onFocus={(ev) => (ev.target as HTMLInputElement).select()} />
        <button type="button" onClick={copy}>
          Copy address
        </button>
      </div>
      <p class="muted small">Once an administrator has granted consent, sign in again. To use your organisation's own app registration instead, follow docs/cli.md ("Permissions and your own app registration") and enter its client id under Settings.</p>
    </div>
  );
}

function Badges({ e }: { e: EligibleView }) {
  const p = e.policy;
  if (!p.known) return <span class="badge muted">policy unknown</span>;
  return (
    <span class="badges">
      {p.maxMinutes !== null && <span class="badge">max {minutesLabel(p.maxMinutes)}</span>}
      {p.approvalRequired && <span class="badge warn">approval</span>}
      {p.authContext ? <span class="badge warn">context {p.authContext}</span> : p.mfaRequired ? <span class="badge warn">MFA</span> : null}
      {p.ticketRequired && <span class="badge">ticket</span>}
      {p.justificationRequired && <span class="badge">justification</span>}
    </span>
  );
}

export function GroupsView({ state, eligible, loading, notify, onChanged, focusGroup }: { state: AppState; eligible: EligibleView[]; loading: boolean; notify: Notify; onChanged: () => void; focusGroup: string | null }) {
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
      <input class="search" type="search" placeholder="Filter groups" aria-label="Filter groups" value={filter} onInput={(ev) => setFilter((ev.target as HTMLInputElement).value)} />
      {loading && <p class="muted">Loading your eligible groups…</p>}
      {!loading && shown.length === 0 && <p class="muted">{eligible.length ? "No group matches the filter." : "You have no PIM for Groups eligibilities."}</p>}
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

function ActivateForm({ e, state, notify, onDone }: { e: EligibleView; state: AppState; notify: Notify; onDone: () => void }) {
  const max = e.policy.maxMinutes ?? 8 * 60;
  const [minutes, setMinutes] = useState(Math.min(60, max));
  // Prefilled from a profile that holds this group, else the last justification used.
  const fromProfile = state.profiles.find((p) => p.justification && p.targets.some((t) => t.groupId === e.groupId && t.accessId === e.accessId))?.justification;
  const [justification, setJustification] = useState(fromProfile ?? state.lastJustification ?? "");
  const [ticketSystem, setTicketSystem] = useState("");
  const [ticketNumber, setTicketNumber] = useState("");
  const [later, setLater] = useState(false);
  const [startAt, setStartAt] = useState("");
  const [validateOnly, setValidateOnly] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useAction((_k, t) => setProblem(t));
  const id = `${e.groupId}-${e.accessId}`;

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(null);
    if (minutes > max) return setProblem(`${e.groupName} can be active for at most ${minutesLabel(max)}. Choose ${minutesLabel(max)} or less.`);
    if (minutes < 5) return setProblem("PIM activations last at least 5 minutes.");
    if (e.policy.justificationRequired && !justification.trim()) return setProblem("This group requires a justification: say why you need it.");
    if (e.policy.ticketRequired && (!ticketSystem.trim() || !ticketNumber.trim())) return setProblem("This group requires a ticket: fill in the ticket system and number.");
    if (later && !startAt) return setProblem("Choose when the activation should start, or pick Now.");
    const out: OutcomeView | undefined = await run("activate", () =>
      api().activate({
        groupId: e.groupId,
        accessId: e.accessId,
        durationMinutes: minutes,
        ...(justification.trim() ? { justification: justification.trim() } : {}),
        ...(ticketSystem.trim() && ticketNumber.trim() ? { ticket: { system: ticketSystem.trim(), number: ticketNumber.trim() } } : {}),
        ...(later && startAt ? { startAt: new Date(startAt).toISOString() } : {}),
        ...(validateOnly ? { validateOnly: true } : {}),
      }),
    );
    if (!out) return;
    if (out.error) return setProblem(out.error.message);
    notify(out.status === "denied" || out.status === "failed" ? "error" : "ok", out.message);
    onDone();
  };

  return (
    <form class="activate" onSubmit={submit} aria-label={`Activate ${e.groupName}`} aria-busy={busy !== null}>
      <label for={`dur-${id}`}>
        Duration <span class="muted">(at most {minutesLabel(max)})</span>
      </label>
      <div class="row">
        <input id={`dur-${id}`} type="range" min={5} max={max} step={5} value={Math.min(minutes, max)} onInput={(ev) => setMinutes(Number((ev.target as HTMLInputElement).value))} aria-valuetext={minutesLabel(minutes)} />
        <input type="number" class="num" aria-label="Duration in minutes" min={5} value={minutes} onInput={(ev) => setMinutes(Number((ev.target as HTMLInputElement).value))} />
        <span class="muted">min</span>
      </div>
      <label for={`just-${id}`}>Justification{e.policy.justificationRequired ? " (required)" : ""}</label>
      <textarea id={`just-${id}`} rows={2} value={justification} onInput={(ev) => setJustification((ev.target as HTMLTextAreaElement).value)} />
      {e.policy.ticketRequired && (
        <div class="row">
          <input aria-label="Ticket system" placeholder="Ticket system (e.g. ServiceNow)" value={ticketSystem} onInput={(ev) => setTicketSystem((ev.target as HTMLInputElement).value)} />
          <input aria-label="Ticket number" placeholder="Number" value={ticketNumber} onInput={(ev) => setTicketNumber((ev.target as HTMLInputElement).value)} />
        </div>
      )}
      <fieldset class="row inline">
        <legend class="sr">Start</legend>
        <label>
          <input type="radio" name={`start-${id}`} checked={!later} onChange={() => setLater(false)} /> Now
        </label>
        <label>
          <input type="radio" name={`start-${id}`} checked={later} onChange={() => setLater(true)} /> Later
        </label>
        {later && <input type="datetime-local" aria-label="Start at" value={startAt} onInput={(ev) => setStartAt((ev.target as HTMLInputElement).value)} />}
      </fieldset>
      <label class="inline">
        <input type="checkbox" checked={validateOnly} onChange={(ev) => setValidateOnly((ev.target as HTMLInputElement).checked)} /> Validate only
      </label>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy !== null}>
        {busy ? "Working…" : validateOnly ? "Validate" : "Activate"}
      </button>
    </form>
  );
}

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function ActiveView({ state, notify, onChanged }: { state: AppState; notify: Notify; onChanged: () => void }) {
  const now = useNow();
  const { busy, run } = useAction(notify);
  return (
    <section aria-label="Active and pending">
      <h2>Active</h2>
      {state.active.length === 0 && <p class="muted">Nothing is active.</p>}
      <ul class="list">
        {state.active.map((a) => {
          const key = `${a.groupId}:${a.accessId}`;
          const left = a.endDateTime ? Date.parse(a.endDateTime) - now : null;
          const floor = Date.parse(a.deactivatableAt) - now;
          return (
            <li key={key} class="item" data-testid={`active-${a.groupName}-${a.accessId}`}>
              <div class="row">
                <div class="grow">
                  <div class="name">
                    {a.groupName} <span class={`role ${a.accessId}`}>{a.accessId}</span>
                  </div>
                  <GroupHint hint={a.groupHint} />
                  <div class="muted">
                    until {clock(a.endDateTime)} · <span class="countdown" data-testid="countdown">{left === null ? "no end" : `${countdown(left)} left`}</span>
                  </div>
                  {floor > 0 && <div class="muted small">PIM allows deactivation 5 minutes after activation: in {countdown(floor)}.</div>}
                </div>
                <button
                  type="button"
                  disabled={floor > 0 || busy !== null}
                  onClick={() =>
                    void run(key, async () => {
                      const out = await api().deactivate({ groupId: a.groupId, accessId: a.accessId });
                      notify("ok", out.message);
                      onChanged();
                    })
                  }
                >
                  {busy === key ? "Working…" : "Deactivate"}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <h2>Pending</h2>
      {state.pending.length === 0 && <p class="muted">No requests are waiting.</p>}
      <ul class="list">
        {state.pending.map((r) => (
          <li key={r.requestId} class="item" data-testid={`pending-${r.groupName}`}>
            <div class="row">
              <div class="grow">
                <div class="name">
                  {r.groupName} <span class={`role ${r.accessId}`}>{r.accessId}</span>
                </div>
                <div class="muted">{r.status === "PendingApproval" ? "waiting for approval" : r.status === "Granted" ? `scheduled for ${clock(r.startDateTime)}` : "being activated"} · requested {clock(r.createdDateTime)}</div>
              </div>
              <button type="button" disabled={busy !== null} onClick={() => void run(r.requestId, async () => (await api().cancel({ requestId: r.requestId }), notify("ok", `The request for ${r.groupName} is canceled.`)))}>
                {busy === r.requestId ? "Working…" : "Cancel"}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Draft {
  id?: string;
  name: string;
  targets: string[];
  durationMinutes: string;
  justification: string;
  autoActivate: boolean;
  keepActive: boolean;
  until: string;
  maxRenewals: string;
  leads: string;
}

const emptyDraft = (): Draft => ({ name: "", targets: [], durationMinutes: "", justification: "", autoActivate: false, keepActive: false, until: "", maxRenewals: "", leads: "" });

export function ProfilesView({ state, eligible, notify }: { state: AppState; eligible: EligibleView[]; notify: Notify }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useAction(notify);
  const edit = (p: ProfileView) =>
    setDraft({
      id: p.id,
      name: p.name,
      targets: p.targets.map((t) => `${t.groupId}:${t.accessId}`),
      durationMinutes: p.durationMinutes ? String(p.durationMinutes) : "",
      justification: p.justification ?? "",
      autoActivate: p.autoActivate,
      keepActive: p.keepActive.enabled,
      until: p.keepActive.until ?? "",
      maxRenewals: p.keepActive.maxRenewals ? String(p.keepActive.maxRenewals) : "",
      leads: p.notifyLeadMinutes?.join(", ") ?? "",
    });
  const save = async (ev: Event) => {
    ev.preventDefault();
    if (!draft) return;
    setProblem(null);
    const leads = draft.leads.trim() ? draft.leads.split(",").map((s) => Number(s.trim())) : [];
    if (leads.some((n) => !Number.isInteger(n) || n < 1)) return setProblem("Lead times are whole minutes, separated by commas, such as 10, 2.");
    const names = new Map(eligible.map((e) => [`${e.groupId}:${e.accessId}`, e.groupName]));
    try {
      await api().saveProfile({
        ...(draft.id ? { id: draft.id } : {}),
        name: draft.name,
        targets: draft.targets.map((k) => {
          const [groupId = "", accessId = "member"] = k.split(":");
          return { groupId, accessId: accessId as "member" | "owner", groupName: names.get(k) };
        }),
        ...(draft.durationMinutes ? { durationMinutes: Number(draft.durationMinutes) } : {}),
        ...(draft.justification.trim() ? { justification: draft.justification } : {}),
        autoActivate: draft.autoActivate,
        keepActive: { enabled: draft.keepActive, ...(draft.until ? { until: draft.until } : {}), ...(draft.maxRenewals ? { maxRenewals: Number(draft.maxRenewals) } : {}) },
        ...(leads.length ? { notifyLeadMinutes: leads } : {}),
      });
      notify("ok", `Profile '${draft.name}' saved.`);
      setDraft(null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  const move = (i: number, d: -1 | 1) => {
    const ids = state.profiles.map((p) => p.id);
    const j = i + d;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j] ?? "", ids[i] ?? ""];
    void run("reorder", () => api().reorderProfiles({ ids }));
  };
  if (draft) {
    const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
    return (
      <form class="profile-form" onSubmit={save} aria-label="Profile">
        <label for="pname">Name</label>
        <input id="pname" value={draft.name} onInput={(ev) => set({ name: (ev.target as HTMLInputElement).value })} />
        <fieldset>
          <legend>Groups</legend>
          <div class="picklist">
            {eligible.map((e) => {
              const k = `${e.groupId}:${e.accessId}`;
              return (
                <label key={k} class="inline">
                  <input type="checkbox" checked={draft.targets.includes(k)} onChange={(ev) => set({ targets: (ev.target as HTMLInputElement).checked ? [...draft.targets, k] : draft.targets.filter((x) => x !== k) })} /> {e.groupName}
                  {e.groupHint ? <span class="muted small"> ({e.groupHint})</span> : null} <span class={`role ${e.accessId}`}>{e.accessId}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
        <label for="pdur">Duration in minutes (empty: the policy's maximum)</label>
        <input id="pdur" type="number" min={5} value={draft.durationMinutes} onInput={(ev) => set({ durationMinutes: (ev.target as HTMLInputElement).value })} />
        <label for="pjust">Default justification</label>
        <textarea id="pjust" rows={2} value={draft.justification} onInput={(ev) => set({ justification: (ev.target as HTMLTextAreaElement).value })} />
        <label class="inline">
          <input type="checkbox" checked={draft.autoActivate} onChange={(ev) => set({ autoActivate: (ev.target as HTMLInputElement).checked })} /> Activate at login
        </label>
        <label class="inline">
          <input type="checkbox" checked={draft.keepActive} onChange={(ev) => set({ keepActive: (ev.target as HTMLInputElement).checked })} /> Keep active
        </label>
        {draft.keepActive && (
          <div class="row">
            <label class="inline">
              until <input type="time" aria-label="Keep active until" value={draft.until} onInput={(ev) => set({ until: (ev.target as HTMLInputElement).value })} />
            </label>
            <label class="inline">
              or at most <input type="number" class="num" min={1} aria-label="Maximum renewals" value={draft.maxRenewals} onInput={(ev) => set({ maxRenewals: (ev.target as HTMLInputElement).value })} /> renewals
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
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <section aria-label="Profiles">
      <div class="row">
        <h2 class="grow">Profiles</h2>
        <button type="button" onClick={() => setDraft(emptyDraft())}>
          New profile
        </button>
      </div>
      {state.profiles.length === 0 && <p class="muted">A profile activates several groups at once, with a default duration and justification.</p>}
      <ul class="list">
        {state.profiles.map((p, i) => (
          <li key={p.id} class="item" data-testid={`profile-${p.name}`}>
            <div class="row">
              <div class="grow">
                <div class="name">{p.name}</div>
                <div class="muted small">
                  {p.targets.map((t) => targetLabel(t, eligible)).join(", ")} · {p.durationMinutes ? minutesLabel(p.durationMinutes) : "policy maximum"}
                  {p.autoActivate ? " · at login" : ""}
                  {p.keepActive.enabled ? " · kept active" : ""}
                </div>
              </div>
              <button type="button" class="primary" disabled={busy !== null} onClick={() => void run(`act-${p.id}`, async () => {
                const outs = await api().activateProfile({ id: p.id });
                const failed = outs.filter((o) => o.error || o.status === "failed" || o.status === "denied");
                notify(failed.length ? "error" : "ok", outs.length ? outs.map((o) => o.message).join(" ") : `Everything in ${p.name} is already active or pending.`);
              })}>
                {busy === `act-${p.id}` ? "Working…" : "Activate"}
              </button>
            </div>
            <div class="row small">
              <button type="button" class="link" onClick={() => edit(p)}>
                Edit
              </button>
              <button type="button" class="link" aria-label={`Move ${p.name} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" class="link" aria-label={`Move ${p.name} down`} disabled={i === state.profiles.length - 1} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" class="link danger" onClick={() => void run(`del-${p.id}`, async () => (await api().deleteProfile({ id: p.id }), notify("ok", `Profile '${p.name}' deleted.`)))}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SettingsView({ state, notify }: { state: AppState; notify: Notify }) {
  const s = state.settings;
  const [leads, setLeads] = useState(s.leadMinutes.join(", "));
  const [tenant, setTenant] = useState(s.tenant);
  const [clientId, setClientId] = useState(s.clientId);
  const [cloud, setCloud] = useState(s.cloud);
  // Optimistic: the box follows the click at once; the pushed state confirms (or restores) it.
  const [startAtLogin, setStartAtLogin] = useState(s.startAtLogin);
  useEffect(() => setStartAtLogin(s.startAtLogin), [s.startAtLogin]);
  const { busy, run } = useAction(notify);
  const saveConnection = (ev: Event) => {
    ev.preventDefault();
    const minutes = leads.split(",").map((x) => Number(x.trim()));
    if (minutes.some((n) => !Number.isInteger(n) || n < 1)) return notify("error", "Lead times are whole minutes, separated by commas, such as 10, 2.");
    void run("save", async () => {
      await api().updateSettings({ leadMinutes: minutes, tenant, clientId, cloud: cloud as "global" });
      notify("ok", "Settings saved. A new cloud, tenant or client id takes effect after PIM Tray restarts.");
    });
  };
  return (
    <section aria-label="Settings">
      <h2>Account</h2>
      {state.account ? (
        <p>
          Signed in as <strong>{state.account.name ?? state.account.username}</strong> <span class="muted">({state.account.username})</span>
        </p>
      ) : (
        <p class="muted">Not signed in.</p>
      )}
      <div class="row">
        {state.account ? (
          <>
            <button type="button" disabled={busy !== null} onClick={() => void run("switch", () => api().signIn({ selectAccount: true }))}>
              Switch account
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void run("out", async () => (await api().signOut(), notify("ok", "Signed out. Tokens were removed.")))}>
              Sign out
            </button>
          </>
        ) : (
          <button type="button" class="primary" disabled={busy !== null} onClick={() => void run("in", () => api().signIn({}))}>
            Sign in
          </button>
        )}
      </div>
      <h2>Tokens</h2>
      <fieldset class="row inline">
        <legend class="sr">Token storage</legend>
        <label>
          <input type="radio" name="tokens" disabled={!s.encryptionAvailable} checked={s.tokenStorage === "encrypted" && s.encryptionAvailable} onChange={() => void run("tok", () => api().updateSettings({ tokenStorage: "encrypted" }))} /> Encrypted on disk
        </label>
        <label>
          <input type="radio" name="tokens" checked={s.tokenStorage === "memory" || !s.encryptionAvailable} onChange={() => void run("tok", () => api().updateSettings({ tokenStorage: "memory" }))} /> Memory only
        </label>
      </fieldset>
      <p class="muted small" data-testid="token-note">
        {s.tokenStorageNote}
      </p>
      <h2>Behaviour</h2>
      <label class="inline">
        <input
          type="checkbox"
          checked={startAtLogin}
          onChange={(ev) => {
            const on = (ev.target as HTMLInputElement).checked;
            setStartAtLogin(on);
            void run("login", () => api().updateSettings({ startAtLogin: on })).then((r) => {
              if (!r) setStartAtLogin(!on);
            });
          }}
        />{" "}
        Start at login
      </label>
      <form onSubmit={saveConnection} aria-label="Connection">
        <label for="leads">Warn before expiry (minutes)</label>
        <input id="leads" value={leads} onInput={(ev) => setLeads((ev.target as HTMLInputElement).value)} />
        <label for="cloud">Cloud</label>
        <select id="cloud" value={cloud} onChange={(ev) => setCloud((ev.target as HTMLSelectElement).value)}>
          <option value="global">Global</option>
          <option value="usgov">US Government (GCC High)</option>
          <option value="usgovdod">US Government (DoD)</option>
          <option value="china">China (21Vianet)</option>
        </select>
        <label for="tenant">Tenant (id or domain)</label>
        <input id="tenant" value={tenant} onInput={(ev) => setTenant((ev.target as HTMLInputElement).value)} />
        <label for="client">Client id</label>
        <input id="client" value={clientId} onInput={(ev) => setClientId((ev.target as HTMLInputElement).value)} />
        {s.customEndpoints ? (
          <p class="warning small" role="alert" data-testid="custom-endpoints">
            Custom endpoints are in use: sign-in goes to <code>{s.customEndpoints.authorityHost}</code> and Graph requests, with your tokens, to <code>{s.customEndpoints.graphEndpoint}</code>. Unless you set
            these yourself (allowCustomEndpoints in settings.json), remove them and restart PIM Tray.
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy !== null}>
          Save settings
        </button>
      </form>
    </section>
  );
}
