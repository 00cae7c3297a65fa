import { createLifecycle } from "../engine/lifecycle-wiring.js";
import { UsageError } from "../engine/errors.js";
import type { LifecycleEvent } from "../engine/lifecycle/events.js";
import type { LifecycleOptions, Picture } from "../engine/lifecycle/lifecycle-service.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import { routeNotifications } from "../engine/notify/route.js";
import { clockTime, lineFor } from "../engine/notify/texts.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { localTime } from "./output.js";
import { targetJson } from "./present.js";

/** The `snapshot` event: the state `watch` starts in (docs/cli.md lists its fields). */
export function snapshotOf(p: Picture) {
  return {
    type: "snapshot" as const,
    signedIn: Boolean(p.account) && !p.needsSignIn,
    account: p.account ? { username: p.account.username, name: p.account.name, tenantId: p.account.tenantId } : null,
    online: p.online,
    lastSyncAt: p.lastSyncAt === null ? null : new Date(p.lastSyncAt).toISOString(),
    active: p.active.map((a) => ({
      ...targetJson(a),
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
    })),
    pending: p.pending.map((r) => ({
      requestId: r.id,
      ...targetJson(r.target),
      status: r.status,
      createdDateTime: r.createdDateTime,
      startDateTime: r.startDateTime,
    })),
    // What waits for my decision: only read while "I approve requests" is on (`pimtray approvals on`).
    approvals: {
      on: p.approvals.on,
      waiting: p.approvals.items.map((a) => ({ requestId: a.requestId, kind: a.kind, label: a.label })),
    },
  };
}

/** Test-only (docs/cli.md): the approver's cadence, so a test sees a new request in seconds, not 5 minutes. */
export const TEST_APPROVER_POLL_ENV = "PIMTRAY_TEST_APPROVER_POLL_MS";

/** The lifecycle's options for this watch: the defaults, unless a test shortens the approver cadence. */
export function watchOptions(env: NodeJS.ProcessEnv = process.env): LifecycleOptions | undefined {
  const v = env[TEST_APPROVER_POLL_ENV];
  if (!v) return undefined;
  const ms = Number(v);
  // At least a second, so a typo cannot turn the watch into a flood of Graph and ARM requests.
  if (!Number.isInteger(ms) || ms < 1000) {
    throw new UsageError(`${TEST_APPROVER_POLL_ENV} (for tests) takes whole milliseconds, at least 1000 (got '${v}').`);
  }
  return { approverPollMs: ms };
}

/** The same state for a person: a headline, then one line per activation and request. */
export function snapshotLines(s: ReturnType<typeof snapshotOf>, now = Date.now()): string[] {
  if (!s.signedIn) return ["Now: not signed in."];
  if (!s.online) return ["Now: Microsoft Graph cannot be reached, so what is active is not known yet."];
  const approval = s.pending.filter((r) => r.status.toLowerCase() === "pendingapproval");
  const other = s.pending.length - approval.length;
  const parts = [
    `${s.active.length} active`,
    ...(approval.length ? [`${approval.length} waiting for approval`] : []),
    ...(other ? [`${other} being activated`] : []),
  ];
  const who = s.account ? ` (${s.account.username})` : "";
  const waiting = s.approvals.waiting.length;
  const toDecide = waiting ? `; ${waiting} request${waiting === 1 ? " waits" : "s wait"} for your approval` : "";
  const head =
    (s.active.length || s.pending.length ? `Now: ${parts.join(", ")}${who}` : `Now: nothing active or pending${who}`) +
    toDecide;
  // As labelOf reads: "Finance Admins (member)", "Global Reader", "Contributor on rg-web".
  const label = (x: { kind: string; name: string; scope: string; scopeName: string; accessId?: string }) =>
    x.kind === "group"
      ? `${x.name} (${x.accessId ?? ""})`
      : x.kind === "role" && x.scope === "/"
        ? x.name
        : `${x.name} on ${x.scopeName}`;
  return [
    head,
    ...s.active.map(
      (a) => `  ${label(a)} active${a.endDateTime ? ` until ${clockTime(a.endDateTime)}` : ", permanent"}`,
    ),
    ...s.pending.map((r) =>
      r.status.toLowerCase() === "pendingapproval"
        ? `  ${label(r)} waiting for approval`
        : r.startDateTime && Date.parse(r.startDateTime) > now
          ? `  ${label(r)} scheduled to start at ${clockTime(r.startDateTime)}`
          : `  ${label(r)} being activated`,
    ),
  ];
}

/**
 * `pimtray watch`: the lifecycle service in the foreground, for desktops without a tray and for
 * terminals. The current state first, then one line per event (JSON lines with --json), desktop
 * notifications, auto-activation.
 */
export async function cmdWatch(ctx: CliContext, o: { notify?: boolean; autoActivate?: boolean }): Promise<number> {
  const { engine, out, logger } = ctx;
  // Other PIM Tray processes (the tray app, `pimtray activate`) write to the config folder; their changes show within 2 s.
  const options = watchOptions();
  if (options) logger.warn(`${TEST_APPROVER_POLL_ENV} is set: approvals are read every ${options.approverPollMs} ms`);
  const service = createLifecycle(engine, {
    stateDir: ctx.configDir,
    watchOthers: true,
    ...(options ? { options } : {}),
  });
  const notifications = o.notify === false ? null : routeNotifications(service, new NodeNotifier(logger), { logger });
  // The first output is the state it starts in; what start-up itself found (an activation that
  // ended while nothing ran, a missed warning) follows it, as a change.
  let held: LifecycleEvent[] | null = [];
  const show = (e: LifecycleEvent) => {
    const now = Date.now();
    if (out.json) out.write(JSON.stringify({ time: new Date(now).toISOString(), ...e }));
    else out.write(`${localTime(new Date(now).toISOString())}  ${lineFor(e, now)}`);
    if (e.type === "needs-sign-in" && !out.json)
      out.error("Run `pimtray login` (or `pimtray login --device-code`) in another terminal; this watch picks it up.");
  };
  service.on((e: LifecycleEvent) => (held ? held.push(e) : show(e)));

  let stopping: Promise<void> | null = null;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      if (!out.json) out.error(`Received ${signal}; stopping.`);
      stopping = service
        .stop()
        .then(() => notifications?.settled())
        .then(() => resolve());
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });

  const account = await engine.auth.currentAccount();
  if (!out.json)
    out.error(
      account
        ? `Watching PIM activations for ${account.username}. Press Ctrl+C to stop.`
        : "Watching; not signed in yet.",
    );
  await service.start();
  const snapshot = snapshotOf(service.picture);
  const time = new Date().toISOString();
  if (out.json) out.write(JSON.stringify({ time, ...snapshot }));
  else for (const line of snapshotLines(snapshot)) out.write(`${localTime(time)}  ${line}`);
  for (const e of held) show(e);
  held = null;
  if (o.autoActivate !== false) await service.autoActivate();
  await stopped;
  return EXIT.ok;
}
