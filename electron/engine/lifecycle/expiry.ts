import { sameTarget, type ActiveAssignment, type NamedRef, type TargetRef } from "../planes/targets.js";
import type { Profile } from "../profiles/settings-schema.js";
import type { Announcement, Names } from "./diff.js";
import { targetRef } from "./diff.js";
import { keys } from "./event-keys.js";
import type { LifecycleEvent } from "./events.js";

// Expiry warnings are local timers, not requests: each active activation gets one warning per lead
// time ("expires in 10 min", "in 2 min") and a reconcile just after its end, which sees it gone.
// Pure: the coordinator arms the timers this plans.

export const DEFAULT_LEAD_MINUTES = [10, 2];

export interface ExpirySettings {
  /** Lead times for activations no profile sets its own for. */
  globalLeads: readonly number[];
  profiles: readonly Profile[];
}

export interface Warning {
  /** From now until the warning is due. */
  delay: number;
  key: string;
  target: NamedRef;
  endDateTime: string;
  leadMinutes: number;
}

export interface AssignmentExpiry {
  /**
   * Leads already passed (a restart, or an activation first seen late) collapse into one warning
   * now, for the most recent of them; null if that one was already said.
   */
  missed: Announcement | null;
  /** The passed leads' keys, remembered as said so that none of them is said later. */
  passed: string[];
  warnings: Warning[];
  /** From now until the reconcile that confirms the end. */
  confirmDelay: number;
}

/** A profile's own lead times for a target it holds win over the global ones; largest first. */
export function leadsFor(a: TargetRef, profiles: readonly Profile[], globalLeads: readonly number[]): number[] {
  const fromProfile = profiles.find(
    (p) => p.notifyLeadMinutes && p.targets.some((t) => sameTarget(t, a)),
  )?.notifyLeadMinutes;
  return [...new Set(fromProfile ?? globalLeads)].sort((x, y) => y - x);
}

/** The warning as said at `now`: minutes left are counted then, never less than 1. */
export function expiringSoon(target: NamedRef, endDateTime: string, leadMinutes: number, now: number): LifecycleEvent {
  const minutesLeft = Math.max(1, Math.round((Date.parse(endDateTime) - now) / 60_000));
  return { type: "expiring-soon", target, endDateTime, minutesLeft, leadMinutes };
}

/** One plan per activation that has an end time still ahead, in the order given. */
export function planExpiry(
  active: readonly ActiveAssignment[],
  now: number,
  settings: ExpirySettings,
  announced: Readonly<Record<string, number>>,
  names: Names,
  confirmDelayMs: number,
): AssignmentExpiry[] {
  const plans: AssignmentExpiry[] = [];
  for (const a of active) {
    if (!a.endDateTime) continue;
    const endIso = a.endDateTime;
    const end = Date.parse(endIso);
    if (end <= now) continue;
    const target = targetRef(names, a);
    const leads = leadsFor(a, settings.profiles, settings.globalLeads);
    const key = (lead: number) => keys.expiringSoon(a, endIso, lead);
    const passedLeads = leads.filter((l) => end - l * 60_000 <= now);
    let missed: Announcement | null = null;
    if (passedLeads.length) {
      // Only the most recent missed lead is worth saying ("expires in 5 min"), once.
      const smallest = Math.min(...passedLeads);
      if (announced[key(smallest)] === undefined)
        missed = { key: key(smallest), event: expiringSoon(target, endIso, smallest, now) };
    }
    const warnings = leads
      .filter((l) => end - l * 60_000 > now)
      .map((lead) => ({
        delay: end - lead * 60_000 - now,
        key: key(lead),
        target,
        endDateTime: endIso,
        leadMinutes: lead,
      }));
    plans.push({ missed, passed: passedLeads.map(key), warnings, confirmDelay: end - now + confirmDelayMs });
  }
  return plans;
}
