// The Active tab: what is active (with a live countdown) and what is still waiting.
import type { AppState } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { clock, countdown } from "../format.js";
import { useAction, useNow, type Notify } from "../hooks.js";
import { GroupHint } from "./group-hint.js";

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
                      notify("ok", `The request for ${r.groupName} is canceled.`)
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
