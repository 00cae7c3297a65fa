// The Settings tab: account, token storage, start at login, which planes PIM Tray reads, whether I approve
// requests, and the connection. What the organisation's policy sets is read-only, marked "Set by your
// organisation"; the policy's problems are a notice at the top. Troubleshoot opens from here.
import { useEffect, useState } from "preact/hooks";
import type { AppState } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { useAction, type Notify } from "../hooks.js";
import { PLANE_LABELS, type PlaneKind } from "../targets.js";
import { isLocked, LockedNote, PolicyNotice } from "./organisation.js";

const PLANE_ORDER: PlaneKind[] = ["group", "role", "azure"];

export function SettingsView({
  state,
  notify,
  onPlanesChanged,
  onTroubleshoot,
}: {
  state: AppState;
  notify: Notify;
  /** A plane was turned on or off: the eligible list is read again. */
  onPlanesChanged?: () => void;
  /** Opens the Troubleshoot view. */
  onTroubleshoot?: () => void;
}) {
  const s = state.settings;
  const org = state.organisation;
  const locked = {
    tokens: isLocked(org, "tokenStorage"),
    planes: isLocked(org, "planes"),
    approvals: isLocked(org, "approvals.enabled"),
    leads: isLocked(org, "notifications.leadMinutes"),
    cloud: isLocked(org, "connection.cloud"),
    tenant: isLocked(org, "connection.tenant"),
    clientId: isLocked(org, "connection.clientId"),
  };
  const [leads, setLeads] = useState(s.leadMinutes.join(", "));
  const [tenant, setTenant] = useState(s.tenant);
  const [clientId, setClientId] = useState(s.clientId);
  const [cloud, setCloud] = useState(s.cloud);
  // Optimistic: the box follows the click at once; the pushed state confirms (or restores) it.
  const [startAtLogin, setStartAtLogin] = useState(s.startAtLogin);
  useEffect(() => setStartAtLogin(s.startAtLogin), [s.startAtLogin]);
  // Optimistic as well, for the same reason.
  const [planesOn, setPlanesOn] = useState(s.planes);
  useEffect(() => setPlanesOn(s.planes), [s.planes]);
  // Optimistic as well; main may ask for the approver permissions first, so it can take a moment.
  const [approvalsOn, setApprovalsOn] = useState(state.approvals.enabled);
  useEffect(() => setApprovalsOn(state.approvals.enabled), [state.approvals.enabled]);
  const { busy, run } = useAction(notify);
  const saveConnection = (ev: Event) => {
    ev.preventDefault();
    const minutes = leads.split(",").map((x) => Number(x.trim()));
    if (!locked.leads && minutes.some((n) => !Number.isInteger(n) || n < 1))
      return notify("error", "Lead times are whole minutes, separated by commas, such as 10, 2.");
    void run("save", async () => {
      // What the organisation set is not sent: it is not the person's to change (main refuses it anyway).
      await api().updateSettings({
        ...(locked.leads ? {} : { leadMinutes: minutes }),
        ...(locked.tenant ? {} : { tenant }),
        ...(locked.clientId ? {} : { clientId }),
        ...(locked.cloud ? {} : { cloud: cloud as "global" }),
      });
      notify("ok", "Settings saved. A new cloud, tenant or client id takes effect after PIM Tray restarts.");
    });
  };
  return (
    <section aria-label="Settings">
      <PolicyNotice o={org} />
      <h2>Account</h2>
      {state.account ? (
        <p>
          Signed in as <strong>{state.account.name ?? state.account.username}</strong>{" "}
          <span class="muted">({state.account.username})</span>
        </p>
      ) : (
        <p class="muted">Not signed in.</p>
      )}
      <div class="row">
        {state.account ? (
          <>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void run("switch", () => api().signIn({ selectAccount: true }))}
            >
              Switch account
            </button>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() =>
                void run("out", async () => (await api().signOut(), notify("ok", "Signed out. Tokens were removed.")))
              }
            >
              Sign out
            </button>
          </>
        ) : (
          <button
            type="button"
            class="primary"
            disabled={busy !== null}
            onClick={() => void run("in", () => api().signIn({}))}
          >
            Sign in
          </button>
        )}
      </div>
      <h2>Tokens</h2>
      <fieldset class="row inline" aria-describedby={locked.tokens ? "tokens-locked" : undefined}>
        <legend class="sr">Token storage</legend>
        <label>
          <input
            type="radio"
            name="tokens"
            disabled={!s.encryptionAvailable || locked.tokens}
            checked={s.tokenStorage === "encrypted" && s.encryptionAvailable}
            onChange={() => void run("tok", () => api().updateSettings({ tokenStorage: "encrypted" }))}
          />{" "}
          Encrypted on disk
        </label>
        <label>
          <input
            type="radio"
            name="tokens"
            checked={s.tokenStorage === "memory" || !s.encryptionAvailable}
            disabled={locked.tokens}
            onChange={() => void run("tok", () => api().updateSettings({ tokenStorage: "memory" }))}
          />{" "}
          Memory only
        </label>
      </fieldset>
      {locked.tokens && <LockedNote o={org} id="tokens-locked" />}
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
      <h2>What PIM Tray shows</h2>
      <fieldset class="planes-on" aria-label="Planes" aria-describedby={locked.planes ? "planes-locked" : undefined}>
        <legend class="sr">Planes</legend>
        {PLANE_ORDER.map((k) => (
          <label key={k} class="inline">
            <input
              type="checkbox"
              checked={planesOn[k]}
              disabled={busy !== null || locked.planes}
              onChange={(ev) => {
                const on = (ev.target as HTMLInputElement).checked;
                setPlanesOn({ ...planesOn, [k]: on });
                void run(`plane-${k}`, async () => {
                  await api().updateSettings({ planes: { [k]: on } });
                  onPlanesChanged?.();
                  return true;
                }).then((ok) => {
                  if (!ok) setPlanesOn(s.planes);
                });
              }}
            />{" "}
            {PLANE_LABELS[k].many}
          </label>
        ))}
      </fieldset>
      {locked.planes && <LockedNote o={org} id="planes-locked" />}
      <p class="muted small">A plane turned off is never asked: no request, no prompt, no note.</p>
      <h2>Approvals</h2>
      <label class="inline">
        <input
          type="checkbox"
          role="switch"
          checked={approvalsOn}
          disabled={busy !== null || locked.approvals}
          aria-describedby={locked.approvals ? "approvals-locked approvals-note" : "approvals-note"}
          onChange={(ev) => {
            const on = (ev.target as HTMLInputElement).checked;
            setApprovalsOn(on);
            void run("approvals", async () => {
              await api().setApprovals({ enabled: on });
              notify(
                "ok",
                on
                  ? "Requests that wait for your approval are in the Approvals tab."
                  : "PIM Tray no longer reads approvals.",
              );
              return true;
            }).then((ok) => {
              if (!ok) setApprovalsOn(!on);
            });
          }}
        />{" "}
        I approve requests {busy === "approvals" && <span class="muted small">Working…</span>}
      </label>
      {locked.approvals && <LockedNote o={org} id="approvals-locked" />}
      <p class="muted small" id="approvals-note">
        While on, PIM Tray reads the requests that wait for your approval every 5 minutes; while off, it reads nothing.
      </p>
      <form onSubmit={saveConnection} aria-label="Connection">
        <label for="leads">Warn before expiry (minutes)</label>
        <input
          id="leads"
          value={locked.leads ? s.leadMinutes.join(", ") : leads}
          readOnly={locked.leads}
          aria-describedby={locked.leads ? "leads-locked" : undefined}
          onInput={(ev) => setLeads((ev.target as HTMLInputElement).value)}
        />
        {locked.leads && <LockedNote o={org} id="leads-locked" />}
        <label for="cloud">Cloud</label>
        <select
          id="cloud"
          value={locked.cloud ? s.cloud : cloud}
          disabled={locked.cloud}
          aria-describedby={locked.cloud ? "cloud-locked" : undefined}
          onChange={(ev) => setCloud((ev.target as HTMLSelectElement).value)}
        >
          <option value="global">Global</option>
          <option value="usgov">US Government (GCC High)</option>
          <option value="usgovdod">US Government (DoD)</option>
          <option value="china">China (21Vianet)</option>
        </select>
        {locked.cloud && <LockedNote o={org} id="cloud-locked" />}
        <label for="tenant">Tenant (id or domain)</label>
        <input
          id="tenant"
          value={locked.tenant ? s.tenant : tenant}
          readOnly={locked.tenant}
          aria-describedby={locked.tenant ? "tenant-locked" : undefined}
          onInput={(ev) => setTenant((ev.target as HTMLInputElement).value)}
        />
        {locked.tenant && <LockedNote o={org} id="tenant-locked" />}
        <label for="client">Client id</label>
        <input
          id="client"
          value={locked.clientId ? s.clientId : clientId}
          readOnly={locked.clientId}
          aria-describedby={locked.clientId ? "client-locked" : undefined}
          onInput={(ev) => setClientId((ev.target as HTMLInputElement).value)}
        />
        {locked.clientId && <LockedNote o={org} id="client-locked" />}
        {s.customEndpoints ? (
          <p class="warning small" role="alert" data-testid="custom-endpoints">
            Custom endpoints are in use: sign-in goes to <code>{s.customEndpoints.authorityHost}</code> and Graph
            requests, with your tokens, to <code>{s.customEndpoints.graphEndpoint}</code>. Unless you set these yourself
            (allowCustomEndpoints in settings.json), remove them and restart PIM Tray.
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy !== null}>
          Save settings
        </button>
      </form>
      <h2>Troubleshoot</h2>
      <p class="muted small">
        Checks the network, proxy, sign-in, token cache and policy, and saves a diagnostics file for your IT department.
      </p>
      <button type="button" onClick={() => onTroubleshoot?.()}>
        Troubleshoot…
      </button>
    </section>
  );
}
