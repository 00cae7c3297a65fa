// The three planes in the lifecycle's pure parts: keys that keep groups' strings and give roles and
// Azure roles their own; names from records; and which planes a reconcile reads (the idle budget).
import { describe, expect, it } from "vitest";
import { activeKey, keys, targetKey } from "../../../electron/engine/lifecycle/event-keys.js";
import { namedTarget } from "../../../electron/engine/lifecycle/names.js";
import {
  occasionOf,
  planReads,
  RETRY_MS,
  SWEEP_EVERY,
  type ReadInput,
} from "../../../electron/engine/lifecycle/plane-reads.js";
import type { ActiveAssignment, AzureRef, RoleRef, ScheduleRequest } from "../../../electron/engine/planes/targets.js";

const group = { groupId: "g1", accessId: "member" as const };
const role: RoleRef = { kind: "role", roleDefinitionId: "F2EF992C-3AFB-46B9-B7CF-A126EE74C451", directoryScopeId: "/" };
const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111";
const DEF = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const azure: AzureRef = { kind: "azure", roleDefinitionId: DEF, scope: `${SUB}/resourceGroups/rg-web` };
const start = "2026-11-28T09:00:00Z";

describe("event keys on three planes", () => {
  it("a group's keys are the strings they always were (state files depend on them)", () => {
    expect(targetKey(group)).toBe("g1:member");
    expect(targetKey({ kind: "group", ...group })).toBe("g1:member");
    expect(activeKey({ ...group, startDateTime: start })).toBe(`g1:member:${start}`);
    expect(keys.provisioned({ ...group, startDateTime: start })).toBe(`prov:g1:member:${start}`);
    expect(keys.expiringSoon(group, start, 10)).toBe(`soon:g1:member:${start}:10`);
    expect(keys.expired(group, start)).toBe(`expired:g1:member:${start}`);
  });

  it("roles and Azure roles have keys of their own, by plane, definition and scope, case-insensitively", () => {
    expect(targetKey(role)).toBe("role:f2ef992c-3afb-46b9-b7cf-a126ee74c451@/");
    expect(targetKey({ ...role, directoryScopeId: "/administrativeUnits/a" })).not.toBe(targetKey(role));
    expect(targetKey(azure)).toBe(`azure:${DEF.toLowerCase()}@${SUB}/resourcegroups/rg-web`);
    expect(targetKey({ ...azure, scope: azure.scope.toUpperCase() })).toBe(targetKey(azure));
    expect(targetKey({ ...azure, scope: SUB })).not.toBe(targetKey(azure));
    expect(keys.expired(role, start)).toBe(`expired:role:f2ef992c-3afb-46b9-b7cf-a126ee74c451@/:${start}`);
  });
});

describe("names events carry", () => {
  it("a group's target is exactly groupId, groupName, accessId, from the names seen or the record", () => {
    expect(namedTarget(new Map([["g1", "Finance Admins"]]), group)).toEqual({ ...group, groupName: "Finance Admins" });
    expect(namedTarget(new Map(), { kind: "group", ...group, groupName: "Ops" })).toEqual({
      ...group,
      groupName: "Ops",
    });
    expect(namedTarget(new Map(), group)).toEqual({ ...group, groupName: "g1" });
  });

  it("a role's names come from its record, else from those seen under its key, else its ids", () => {
    expect(namedTarget(new Map(), { ...role, roleName: "Global Reader", scopeName: "Directory" })).toMatchObject({
      kind: "role",
      roleName: "Global Reader",
      scopeName: "Directory",
    });
    const seen = new Map([[targetKey(role), { ...role, roleName: "Global Reader", scopeName: "Directory" }]]);
    expect(namedTarget(seen, role)).toMatchObject({ roleName: "Global Reader", scopeName: "Directory" });
    expect(namedTarget(new Map(), role)).toMatchObject({ roleName: role.roleDefinitionId, scopeName: "Directory" });
  });

  it("an Azure role at a child scope of its eligibility takes the role's name and the scope's last segment", () => {
    const elig = { ...azure, scope: SUB, roleName: "Contributor", scopeName: "Contoso Production" };
    const seen = new Map([[targetKey(elig), elig]]);
    expect(namedTarget(seen, azure)).toEqual({ ...azure, roleName: "Contributor", scopeName: "rg-web" });
  });
});

const activeOn = (kind: "role" | "azure"): ActiveAssignment =>
  kind === "role"
    ? {
        ...role,
        roleName: "Global Reader",
        scopeName: "Directory",
        startDateTime: start,
        endDateTime: null,
        assignmentType: "activated",
      }
    : {
        ...azure,
        roleName: "Contributor",
        scopeName: "rg-web",
        startDateTime: start,
        endDateTime: null,
        assignmentType: "activated",
        eligibilityScheduleId: null,
      };
const pendingOn = (t: RoleRef | AzureRef): ScheduleRequest => ({
  ...t,
  id: "r1",
  action: "selfActivate",
  status: "PendingApproval",
  justification: null,
  createdDateTime: start,
  startDateTime: null,
  duration: null,
  approvalId: null,
});

function input(extra: Partial<ReadInput> = {}): ReadInput {
  return {
    scope: "full",
    occasion: "timer",
    timerTick: 1,
    enabled: { group: true, role: true, azure: true },
    unavailable: new Set(),
    health: new Map(),
    known: { active: [], pending: [] },
    now: 10 * RETRY_MS,
    ...extra,
  };
}

describe("which planes a reconcile reads", () => {
  it("groups as always: a full reconcile reads active and requests; a light poll only while a group request waits", () => {
    expect(planReads(input())).toEqual({ active: ["group"], requests: ["group"] });
    expect(planReads(input({ scope: "requests" }))).toEqual({ active: [], requests: [] });
  });

  it("the first look, start and events read every plane fully", () => {
    const all = { active: ["group", "role", "azure"], requests: ["group", "role", "azure"] };
    expect(planReads(input({ known: null }))).toEqual(all);
    expect(planReads(input({ occasion: "start" }))).toEqual(all);
    expect(planReads(input({ occasion: "event" }))).toEqual(all);
    expect(occasionOf("popup opened")).toBe("event");
    expect(occasionOf("timer")).toBe("timer");
    expect(occasionOf("signed-in")).toBe("start");
  });

  it("idle: a plane with an activation of ours costs one request; a quiet one is looked at every third time", () => {
    const known = { active: [activeOn("role")], pending: [] };
    expect(planReads(input({ known }))).toEqual({ active: ["group", "role"], requests: ["group"] });
    expect(planReads(input({ timerTick: SWEEP_EVERY }))).toEqual({
      active: ["group", "role", "azure"],
      requests: ["group"],
    });
    // The look after an end time reads the planes that hold something, and sweeps nothing.
    expect(planReads(input({ known, occasion: "expiry", timerTick: SWEEP_EVERY }))).toEqual({
      active: ["group", "role"],
      requests: ["group"],
    });
  });

  it("a request pending on a plane: a light poll reads that plane's requests only", () => {
    const known = { active: [], pending: [pendingOn(azure)] };
    expect(planReads(input({ known, scope: "requests" }))).toEqual({ active: [], requests: ["azure"] });
    expect(planReads(input({ known }))).toEqual({ active: ["group", "azure"], requests: ["group", "azure"] });
  });

  it("a plane turned off or unusable costs nothing; a failed one is retried once an hour (and at start)", () => {
    expect(planReads(input({ enabled: { group: true, role: true, azure: false }, occasion: "event" }))).toEqual({
      active: ["group", "role"],
      requests: ["group", "role"],
    });
    expect(planReads(input({ unavailable: new Set(["azure"]), occasion: "event" })).active).not.toContain("azure");
    const now = 10 * RETRY_MS;
    const failed = (at: number) => new Map([["azure" as const, { state: "unreachable" as const, lastTriedAt: at }]]);
    expect(planReads(input({ health: failed(now - 1000), occasion: "event", now })).active).not.toContain("azure");
    expect(planReads(input({ health: failed(now - RETRY_MS), now })).active).toContain("azure");
    expect(planReads(input({ health: failed(now - RETRY_MS), now })).requests).not.toContain("azure");
    expect(planReads(input({ health: failed(now - 1000), occasion: "start", now })).active).toContain("azure");
  });
});
