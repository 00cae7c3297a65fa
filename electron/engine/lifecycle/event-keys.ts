import { targetKey as planeTargetKey, type TargetRef } from "../planes/targets.js";

// The de-duplication keys under which events are remembered in lifecycle-state.json (for a week),
// so that no restart, second instance or second look announces the same thing twice. One place,
// because several planners must agree on a key: an activation the service started and the
// reconcile that then sees its assignment both say "provisioned" under the same key.
// Targets are keyed by the planes' targetKey: a group keeps `groupId:accessId` (state files written
// before there were planes still match); roles read `role:{definition}@{scope}`, Azure roles
// `azure:{definition id}@{scope}`, so no two planes share a key.

type Instance = TargetRef & { startDateTime: string };

/** One target, on any plane. */
export const targetKey = (t: TargetRef): string => planeTargetKey(t);
/** One activation instance: a target and when it started. */
export const activeKey = (a: Instance): string => `${targetKey(a)}:${a.startDateTime}`;

export const keys = {
  submitted: (requestId: string) => `sub:${requestId}`,
  pendingApproval: (requestId: string) => `pend:${requestId}`,
  approved: (requestId: string) => `appr:${requestId}`,
  denied: (requestId: string) => `deny:${requestId}`,
  canceled: (requestId: string) => `cancel:${requestId}`,
  failed: (requestId: string) => `fail:${requestId}`,
  provisioned: (a: Instance) => `prov:${activeKey(a)}`,
  deactivated: (a: Instance) => `deact:${activeKey(a)}`,
  expired: (t: TargetRef, endDateTime: string) => `expired:${targetKey(t)}:${endDateTime}`,
  expiringSoon: (t: TargetRef, endDateTime: string, leadMinutes: number) =>
    `soon:${targetKey(t)}:${endDateTime}:${leadMinutes}`,
  /** A chain stops once per renewal count: a chain restarted the same day can stop again. */
  keepActiveStopped: (profileId: string, chain: { day: string; renewals: number }) =>
    `ka-stop:${profileId}:${chain.day}:${chain.renewals}`,
  /** Each time the service goes offline is one episode, announced once. */
  offline: (episode: number, now: number) => `offline:${episode}:${now}`,
} as const;

/** How long an announced key is remembered: longer than any activation, so none is said twice. */
export const REMEMBER_MS = 7 * 86_400_000;

/** Forgets keys announced before `now - REMEMBER_MS` (in place: the map is the saved state's). */
export function forgetOld(announced: Record<string, number>, now: number): void {
  const cutoff = now - REMEMBER_MS;
  for (const [k, t] of Object.entries(announced)) if (t < cutoff) delete announced[k];
}
