// PIM's stateless activation rules, without a server: the requested window and steps 4 to 7.
import { describe, expect, it } from "vitest";
import { GraphFault } from "../../emulator/graph/fault.js";
import type { CallerClaims, GroupPolicy } from "../../emulator/model.js";
import type { PimSettings } from "../../emulator/pim.js";
import { type ActivationBody, checkActivationRules, policyFailure, requestedWindow } from "../../emulator/pim-rules.js";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const HOUR = 3_600_000;
const settings: PimSettings = {
  provisioningDelayMs: 0,
  provisioningDelayMaxMs: null,
  policyMessageFormat: "text",
  acrsRequiresCp1: false,
};
const policy: GroupPolicy = {
  maximumDuration: "PT8H",
  enabledRules: ["Justification"],
  approvalRequired: false,
  approverUserIds: [],
  authenticationContext: null,
  policyGuid: "00000000-0000-0000-0000-000000000001",
};
const caller: CallerClaims = { oid: "u", scp: [], amr: ["pwd"], acrs: [], xmsCc: [] };
const body = (over: Partial<ActivationBody> = {}): ActivationBody => ({
  action: "selfActivate",
  accessId: "member",
  groupId: "g",
  principalId: "u",
  justification: "work",
  scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
  ...over,
});

function fault(fn: () => unknown): GraphFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphFault) return e;
    throw e;
  }
  throw new Error("expected a GraphFault");
}

describe("requestedWindow", () => {
  it("starts now and lasts the ISO duration asked for", () => {
    expect(requestedWindow(body(), NOW)).toMatchObject({
      startAt: NOW,
      expType: "afterduration",
      durationMs: 2 * HOUR,
    });
  });

  it("measures an end date-time from the later of start and now", () => {
    const past = new Date(NOW - HOUR).toISOString();
    const end = new Date(NOW + 3 * HOUR).toISOString();
    const w = requestedWindow(
      body({ scheduleInfo: { startDateTime: past, expiration: { type: "afterDateTime", endDateTime: end } } }),
      NOW,
    );
    expect(w.startAt).toBe(NOW - HOUR);
    expect(w.durationMs).toBe(3 * HOUR);
  });

  it("has no duration when no end is asked for", () => {
    expect(requestedWindow(body({ scheduleInfo: {} }), NOW).durationMs).toBeNull();
  });

  it("refuses a bad start, a non-positive duration and an end before the start", () => {
    expect(fault(() => requestedWindow(body({ scheduleInfo: { startDateTime: "soon" } }), NOW)).message).toMatch(
      /startDateTime/,
    );
    expect(
      fault(() =>
        requestedWindow(body({ scheduleInfo: { expiration: { type: "afterDuration", duration: "PT0S" } } }), NOW),
      ).message,
    ).toMatch(/positive/);
    const end = new Date(NOW - 1).toISOString();
    expect(
      fault(() =>
        requestedWindow(body({ scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } }), NOW),
      ).message,
    ).toMatch(/after the start/);
  });
});

describe("checkActivationRules", () => {
  it("passes a request within the policy and returns its duration", () => {
    expect(checkActivationRules(policy, 2 * HOUR, body(), caller, settings)).toBe(2 * HOUR);
  });

  it("fails ExpirationRule for an open end or more than the maximum", () => {
    expect(fault(() => checkActivationRules(policy, null, body(), caller, settings)).message).toMatch(
      /^The following policy rules failed: ExpirationRule - /,
    );
    expect(fault(() => checkActivationRules(policy, 9 * HOUR, body(), caller, settings)).code).toBe(
      "RoleAssignmentRequestPolicyValidationFailed",
    );
  });

  it("names every missing justification and ticket rule at once", () => {
    const p: GroupPolicy = { ...policy, enabledRules: ["Justification", "Ticketing"] };
    const f = fault(() =>
      checkActivationRules(p, HOUR, body({ justification: " " }), caller, { ...settings, policyMessageFormat: "list" }),
    );
    expect(f.message).toBe('The following policy rules failed: ["JustificationRule","TicketingRule"]');
  });

  it("asks for MFA, then for the authentication context (with cp1 when the setting says so)", () => {
    const mfa: GroupPolicy = { ...policy, enabledRules: ["MultiFactorAuthentication"] };
    expect(fault(() => checkActivationRules(mfa, HOUR, body(), caller, settings)).message).toMatch(/MfaRule/);
    expect(checkActivationRules(mfa, HOUR, body(), { ...caller, amr: ["pwd", "mfa"] }, settings)).toBe(HOUR);

    const acrs: GroupPolicy = { ...policy, authenticationContext: "c1" };
    const f = fault(() => checkActivationRules(acrs, HOUR, body(), caller, settings));
    expect(f.code).toBe("RoleAssignmentRequestAcrsValidationFailed");
    expect(decodeURIComponent(f.message)).toContain('"value":"c1"');
    const withAcrs = { ...caller, acrs: ["c1"] };
    expect(checkActivationRules(acrs, HOUR, body(), withAcrs, settings)).toBe(HOUR);
    expect(
      fault(() => checkActivationRules(acrs, HOUR, body(), withAcrs, { ...settings, acrsRequiresCp1: true })).code,
    ).toBe("RoleAssignmentRequestAcrsValidationFailed");
    expect(
      checkActivationRules(acrs, HOUR, body(), { ...withAcrs, xmsCc: ["cp1"] }, { ...settings, acrsRequiresCp1: true }),
    ).toBe(HOUR);
  });
});

describe("policyFailure", () => {
  it("writes the rules as a list or as text, as PIM has done at different times", () => {
    expect(policyFailure("list", ["MfaRule"]).message).toBe('The following policy rules failed: ["MfaRule"]');
    expect(policyFailure("text", ["MfaRule"]).message).toBe(
      "The following policy rules failed: MfaRule - Multi-factor authentication is required for the requested activation",
    );
  });
});
