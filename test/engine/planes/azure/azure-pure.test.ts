// The Azure plane's pure parts: request bodies (checked against ARM's 2020-10-01 schema), scope
// ancestry, the rate-limit budget and the policy rule mapping.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../../electron/engine/errors.js";
import { summarizePolicy } from "../../../../electron/engine/graph/policy-summary.js";
import { ArmBudget, remainingBudget } from "../../../../electron/engine/planes/azure/arm-budget.js";
import { ancestorScopes, isAtOrBelow, roleGuid, sameRole } from "../../../../electron/engine/planes/azure/arm-ids.js";
import { toRawRules } from "../../../../electron/engine/planes/azure/policies.js";
import { azureRequestBody } from "../../../../electron/engine/planes/azure/request-body.js";
import type { AzureRef } from "../../../../electron/engine/planes/targets.js";
import { checkArm } from "../../../helpers/schema-check.js";
import { recordingLogger } from "./arm-setup.js";

const SUB = "/subscriptions/3b1f0000-0000-4000-8000-000000000001";
const RG = `${SUB}/resourceGroups/rg-web`;
const KV = `${RG}/providers/Microsoft.KeyVault/vaults/kv-1`;
const ROLE = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const ELIG = `${SUB}/providers/Microsoft.Authorization/roleEligibilitySchedules/a9c80000-0000-4000-8000-000000000002`;
const target: AzureRef = { kind: "azure", roleDefinitionId: ROLE, scope: RG };
const PRINCIPAL = "5f1c0000-0000-4000-8000-000000007a8b";
const check = (body: unknown) =>
  checkArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", body as never, { body: true });

describe("azureRequestBody", () => {
  it("writes a SelfActivate with the linked eligibility and ticket, starting on receipt, valid against ARM's schema", () => {
    const body = azureRequestBody({
      action: "activate",
      target,
      principalId: PRINCIPAL,
      durationMs: 90 * 60_000,
      justification: "  Hotfix CHG-2291 ",
      ticket: { system: "Jira", number: "CHG-2291" },
      linkedEligibilityScheduleId: ELIG,
    });
    expect(body).toEqual({
      properties: {
        principalId: PRINCIPAL,
        roleDefinitionId: ROLE,
        requestType: "SelfActivate",
        linkedRoleEligibilityScheduleId: ELIG,
        justification: "Hotfix CHG-2291",
        ticketInfo: { ticketNumber: "CHG-2291", ticketSystem: "Jira" },
        scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT1H30M" } },
      },
    });
    expect(check(body)).toEqual([]);
  });

  it("keeps a requested start; a SelfDeactivate has no schedule", () => {
    const start = new Date("2026-05-01T10:00:00Z");
    const later = azureRequestBody({
      action: "activate",
      target,
      principalId: PRINCIPAL,
      durationMs: 3_600_000,
      startAt: start,
    });
    expect(later.properties.scheduleInfo?.startDateTime).toBe(start.toISOString());
    expect(later.properties.justification).toBeUndefined();
    const off = azureRequestBody({ action: "deactivate", target, principalId: PRINCIPAL });
    expect(off).toEqual({
      properties: { principalId: PRINCIPAL, roleDefinitionId: ROLE, requestType: "SelfDeactivate" },
    });
    expect(check(off)).toEqual([]);
  });

  it("refuses an activation without a duration", () => {
    expect(() => azureRequestBody({ action: "activate", target, principalId: PRINCIPAL })).toThrow(UsageError);
  });
});

describe("ARM ids", () => {
  it("compares role definitions by trailing GUID and walks a scope's ancestors", () => {
    expect(roleGuid(ROLE.toUpperCase())).toBe("b24988ac-6180-42a0-ab88-20f7382dd24c");
    expect(
      sameRole(ROLE, "/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C"),
    ).toBe(true);
    expect(ancestorScopes(KV)).toEqual([RG, SUB]);
    expect(ancestorScopes(KV, RG)).toEqual([RG]);
    expect(ancestorScopes(SUB)).toEqual([]);
    expect(isAtOrBelow(KV.toLowerCase(), RG)).toBe(true);
    expect(isAtOrBelow(`${SUB}/resourceGroups/rg-web2`, RG)).toBe(false);
  });
});

describe("rate-limit budget", () => {
  it("reads the lowest remaining count per kind from ARM's headers", () => {
    expect(
      remainingBudget({
        "x-ms-ratelimit-remaining-tenant-reads": "240",
        "x-ms-ratelimit-remaining-subscription-reads": "11",
        "x-ms-ratelimit-remaining-subscription-global-writes": "2999",
        "x-ms-ratelimit-remaining-tenant-writes": "198",
        "x-ms-request-id": "abc",
      }),
    ).toEqual({ reads: 11, writes: 198 });
  });

  it("paces more as the bucket empties, warns once on crossing, and forgets stale readings", () => {
    const lines: string[] = [];
    let now = 0;
    const budget = new ArmBudget(recordingLogger(lines), () => now, { lowWater: 5, maxPauseMs: 1200 });
    expect(budget.pauseMs(false)).toBe(0);
    budget.observe({ "x-ms-ratelimit-remaining-tenant-reads": "6" });
    expect(budget.pauseMs(false)).toBe(0);
    budget.observe({ "x-ms-ratelimit-remaining-tenant-reads": "5" });
    expect(budget.pauseMs(false)).toBe(200);
    budget.observe({ "x-ms-ratelimit-remaining-tenant-reads": "0" });
    expect(budget.pauseMs(false)).toBe(1200);
    expect(budget.pauseMs(true)).toBe(0);
    expect(lines.filter((l) => l.startsWith("warn"))).toHaveLength(1);
    now += 30_001;
    expect(budget.pauseMs(false)).toBe(0);
  });
});

describe("policy rules", () => {
  it("maps ARM's effectiveRules (ruleType, approvers with userType) onto the shared summary", () => {
    const summary = summarizePolicy(
      toRawRules([
        {
          id: "Expiration_EndUser_Assignment",
          ruleType: "RoleManagementPolicyExpirationRule",
          maximumDuration: "PT8H",
        },
        {
          id: "Enablement_EndUser_Assignment",
          ruleType: "RoleManagementPolicyEnablementRule",
          enabledRules: ["MultiFactorAuthentication", "Justification", "Ticketing"],
        },
        {
          id: "Approval_EndUser_Assignment",
          ruleType: "RoleManagementPolicyApprovalRule",
          setting: {
            isApprovalRequired: true,
            approvalStages: [
              {
                primaryApprovers: [
                  { id: "g1", description: "cloud-ops-approvers", userType: "Group" },
                  { id: "u1", description: "Megan", userType: "User" },
                ],
              },
            ],
          },
        },
        {
          id: "AuthenticationContext_EndUser_Assignment",
          ruleType: "RoleManagementPolicyAuthenticationContextRule",
          isEnabled: true,
          claimValue: "c2",
        },
      ]),
    );
    expect(summary).toEqual({
      known: true,
      maxDuration: "PT8H",
      maxDurationMs: 8 * 3_600_000,
      justificationRequired: true,
      ticketRequired: true,
      mfaRequired: true,
      authContext: "c2",
      approvalRequired: true,
      approvers: [
        { id: "g1", description: "cloud-ops-approvers", kind: "group" },
        { id: "u1", description: "Megan", kind: "user" },
      ],
      // The stage does not say isApproverJustificationRequired: false, so PIM's default (required) holds.
      approverJustificationRequired: true,
    });
  });
});
