// The profile editor's model, kept apart from Preact so it can be tested under Node: a profile becomes
// a draft (the form's fields, numbers as typed text), and a draft becomes the save request, or the one
// problem that stops it. Everything else is checked by main, whose message the form shows.
import type { EligibleView, ProfileView, RequestOf } from "../electron/shared/ipc-api.js";

export interface ProfileDraft {
  id?: string;
  name: string;
  /** The picked eligibilities, as targetKey() keys. */
  targets: string[];
  durationMinutes: string;
  justification: string;
  /** The profile's ticket; both empty means none. */
  ticketSystem: string;
  ticketNumber: string;
  autoActivate: boolean;
  keepActive: boolean;
  until: string;
  maxRenewals: string;
  /** Minutes before expiry to warn, comma separated; empty means the app's default. */
  leads: string;
}

export type ProfileSaveRequest = RequestOf<"profiles:save">;

export type DraftOutcome = { ok: true; request: ProfileSaveRequest } | { ok: false; problem: string };

/** One eligibility (group and role) as one string, so a draft's targets are a plain list. */
export const targetKey = (t: { groupId: string; accessId: string }): string => `${t.groupId}:${t.accessId}`;

export const emptyDraft = (): ProfileDraft => ({
  name: "",
  targets: [],
  durationMinutes: "",
  justification: "",
  ticketSystem: "",
  ticketNumber: "",
  autoActivate: false,
  keepActive: false,
  until: "",
  maxRenewals: "",
  leads: "",
});

export function draftOf(p: ProfileView): ProfileDraft {
  return {
    id: p.id,
    name: p.name,
    targets: p.targets.map(targetKey),
    durationMinutes: p.durationMinutes ? String(p.durationMinutes) : "",
    justification: p.justification ?? "",
    ticketSystem: p.ticket?.system ?? "",
    ticketNumber: p.ticket?.number ?? "",
    autoActivate: p.autoActivate,
    keepActive: p.keepActive.enabled,
    until: p.keepActive.until ?? "",
    maxRenewals: p.keepActive.maxRenewals ? String(p.keepActive.maxRenewals) : "",
    leads: p.notifyLeadMinutes?.join(", ") ?? "",
  };
}

/** The targets with `key` picked or unpicked, as its checkbox says. */
export function withTarget(targets: string[], key: string, picked: boolean): string[] {
  return picked ? [...targets, key] : targets.filter((x) => x !== key);
}

/**
 * The save request for a draft. Group names come from the eligible list, so the profile keeps a
 * readable name for each group; empty fields are left out, so main applies its defaults.
 */
export function saveRequestOf(draft: ProfileDraft, eligible: EligibleView[]): DraftOutcome {
  const leads = draft.leads.trim() ? draft.leads.split(",").map((s) => Number(s.trim())) : [];
  if (leads.some((n) => !Number.isInteger(n) || n < 1))
    return { ok: false, problem: "Lead times are whole minutes, separated by commas, such as 10, 2." };
  const system = draft.ticketSystem.trim();
  const number = draft.ticketNumber.trim();
  if (Boolean(system) !== Boolean(number))
    return { ok: false, problem: "A ticket needs both its system (such as ServiceNow) and its number, or neither." };
  const names = new Map(eligible.map((e) => [targetKey(e), e.groupName]));
  return {
    ok: true,
    request: {
      ...(draft.id ? { id: draft.id } : {}),
      name: draft.name,
      targets: draft.targets.map((k) => {
        const [groupId = "", accessId = "member"] = k.split(":");
        return { groupId, accessId: accessId === "owner" ? "owner" : "member", groupName: names.get(k) };
      }),
      ...(draft.durationMinutes ? { durationMinutes: Number(draft.durationMinutes) } : {}),
      ...(draft.justification.trim() ? { justification: draft.justification } : {}),
      ...(system ? { ticket: { system, number } } : {}),
      autoActivate: draft.autoActivate,
      keepActive: {
        enabled: draft.keepActive,
        ...(draft.until ? { until: draft.until } : {}),
        ...(draft.maxRenewals ? { maxRenewals: Number(draft.maxRenewals) } : {}),
      },
      ...(leads.length ? { notifyLeadMinutes: leads } : {}),
    },
  };
}
