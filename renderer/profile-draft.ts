// The profile editor's model, kept apart from Preact so it can be tested under Node: a profile becomes
// a draft (the form's fields, numbers as typed text), and a draft becomes the save request, or the one
// problem that stops it. Everything else is checked by main, whose message the form shows.
import { targetKey as planeKey } from "../electron/engine/planes/targets.js";
import type { EligibleView, ProfileTargetView, ProfileView, RequestOf } from "../electron/shared/ipc-api.js";

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

/**
 * One target as one string, so a draft's targets are a plain list: a group by `groupId:accessId` (its
 * key as it always was), a role or an Azure role by the planes' own key (targets.ts).
 */
export const targetKey = (t: EligibleView | ProfileTargetView | { groupId: string; accessId: string }): string =>
  "kind" in t && (t.kind === "role" || t.kind === "azure") ? planeKey(t) : `${t.groupId}:${t.accessId}`;

/** The profile target for an eligibility, with its names. Groups stay without `kind`, as profiles store them. */
export function profileTargetOf(e: EligibleView): ProfileTargetView {
  switch (e.kind) {
    case "role":
      return {
        kind: "role",
        roleDefinitionId: e.roleDefinitionId,
        directoryScopeId: e.directoryScopeId,
        roleName: e.roleName,
        scopeName: e.scopeName,
      };
    case "azure":
      return {
        kind: "azure",
        roleDefinitionId: e.roleDefinitionId,
        scope: e.scope,
        roleName: e.roleName,
        scopeName: e.scopeName,
      };
    default:
      return { groupId: e.groupId, accessId: e.accessId, groupName: e.groupName };
  }
}

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
 * The save request for a draft. Names come from the eligible list, so the profile keeps a readable
 * name for each target; a target no longer eligible keeps what the profile had (`previous`), a group
 * at least its ids. Empty fields are left out, so main applies its defaults.
 */
export function saveRequestOf(
  draft: ProfileDraft,
  eligible: EligibleView[],
  previous: readonly ProfileTargetView[] = [],
): DraftOutcome {
  const leads = draft.leads.trim() ? draft.leads.split(",").map((s) => Number(s.trim())) : [];
  if (leads.some((n) => !Number.isInteger(n) || n < 1))
    return { ok: false, problem: "Lead times are whole minutes, separated by commas, such as 10, 2." };
  const system = draft.ticketSystem.trim();
  const number = draft.ticketNumber.trim();
  if (Boolean(system) !== Boolean(number))
    return { ok: false, problem: "A ticket needs both its system (such as ServiceNow) and its number, or neither." };
  const byKey = new Map<string, ProfileTargetView>([
    ...previous.map((t) => [targetKey(t), t] as const),
    ...eligible.map((e) => [targetKey(e), profileTargetOf(e)] as const),
  ]);
  return {
    ok: true,
    request: {
      ...(draft.id ? { id: draft.id } : {}),
      name: draft.name,
      targets: draft.targets.flatMap((k): ProfileTargetView[] => {
        const known = byKey.get(k);
        if (known) return [known];
        // A role's key cannot be read back into a target; one that is neither eligible nor in the profile is dropped.
        if (k.startsWith("role:") || k.startsWith("azure:")) return [];
        const [groupId = "", accessId = "member"] = k.split(":");
        return [{ groupId, accessId: accessId === "owner" ? "owner" : "member", groupName: undefined }];
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
