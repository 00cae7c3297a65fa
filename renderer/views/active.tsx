// The Active tab: what is active (with a live countdown) and what is still waiting, on every plane.
import { deactivateRequestOf, type AppState } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { clock, countdown } from "../format.js";
import { useAction, useNow, type Notify } from "../hooks.js";
import { nameOf, targetKey, testIdOf, type Row } from "../targets.js";
import { GroupHint } from "./group-hint.js";

/** A row's badge (a group's access, or the role's plane) and, for roles, where it applies. */
function Kind({ r }: { r: Row }) {
  if (r.kind === "role" || r.kind === "azure")
    return <span class={`plane ${r.kind}`}>{r.kind === "role" ? "Entra ID role" : "Azure role"}</span>;
  return <span class={`role ${r.accessId}`}>{r.accessId}</span>;
}

function Scope({ r }: { r: Row }) {
  if (r.kind !== "role" && r.kind !== "azure") return null;
  return (
    <div class="muted small scope" title={r.scope}>
      {r.kind === "role" && r.scope === "/" ? "Directory (the whole tenant)" : `on ${r.scopeName}`}
    </div>
  );
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
          const key = targetKey(a);
          const left = a.endDateTime ? Date.parse(a.endDateTime) - now : null;
          const floor = Date.parse(a.deactivatableAt) - now;
          return (
            <li key={key} class="item" data-testid={`active-${testIdOf(a)}`}>
              <div class="row">
                <div class="grow">
                  <div class="name">
                    {nameOf(a)} <Kind r={a} />
                  </div>
                  <Scope r={a} />
                  <GroupHint hint={a.groupHint} />
                  <div class="muted">
                    until {clock(a.endDateTime)} ·{" "}
                    <span class="countdown" data-testid="countdown">
                      {left === null ? "no end" : `${countdown(left)} left`}
                    </span>
                  </div>
                  {floor > 0 && (
                    <div class="muted small">
                      PIM allows deactivation 5 minutes after activation: in {countdown(floor)}.
                    </div>
                  )}
                </div>
                <button
                  type="button"
                  disabled={floor > 0 || busy !== null}
                  onClick={() =>
                    void run(key, async () => {
                      const out = await api().deactivate(deactivateRequestOf(a));
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
          <li key={r.requestId} class="item" data-testid={`pending-${nameOf(r)}`}>
            <div class="row">
              <div class="grow">
                <div class="name">
                  {nameOf(r)} <Kind r={r} />
                </div>
                <Scope r={r} />
                <div class="muted">
                  {r.status === "PendingApproval"
                    ? "waiting for approval"
                    : r.status === "Granted"
                      ? `scheduled for ${clock(r.startDateTime)}`
                      : "being activated"}{" "}
                  · requested {clock(r.createdDateTime)}
                </div>
              </div>
              <button
                type="button"
                disabled={busy !== null}
                onClick={() =>
                  void run(
                    r.requestId,
                    async () => (
                      await api().cancel({ requestId: r.requestId }),
                      notify("ok", `The request for ${nameOf(r)} is canceled.`)
                    ),
                  )
                }
              >
                {busy === r.requestId ? "Working…" : "Cancel"}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
