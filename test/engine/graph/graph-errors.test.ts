import { describe, expect, it } from "vitest";
import {
  claimsFromAcrsMessage,
  claimsFromWwwAuthenticate,
  normalizeGraphError,
  policyRules,
} from "../../../electron/engine/graph/graph-errors.js";
import { summarizePolicy } from "../../../electron/engine/graph/pim-client.js";
import { formatDuration, parseDuration, toIsoDuration } from "../../../electron/engine/duration.js";
import { PollSchedule } from "../../../electron/engine/activation/polling.js";
import { scrub } from "../../../electron/engine/logger.js";

describe("Graph error normalisation", () => {
  it("unwraps PIM's UnknownError whose message is JSON (the real EasyPIM #37 payload)", () => {
    const body =
      '{"error":{"code":"UnknownError","message":"{\\"errorCode\\":\\"PermissionScopeNotGranted\\",\\"message\\":\\"Authorization failed due to missing permission scope PrivilegedEligibilitySchedule.Read.AzureADGroup.\\",\\"instanceAnnotations\\":[]}","innerError":{"date":"2024-03-28T07:04:50","request-id":"09dd9fb3","client-request-id":"262a8366"}}}';
    expect(normalizeGraphError(403, body, {})).toEqual({
      code: "PermissionScopeNotGranted",
      message: "Authorization failed due to missing permission scope PrivilegedEligibilitySchedule.Read.AzureADGroup.",
      requestId: "09dd9fb3",
    });
  });

  it("reads the un-wrapped top-level errorCode form", () => {
    expect(
      normalizeGraphError(403, '{"errorCode":"PermissionScopeNotGranted","message":"m","instanceAnnotations":[]}', {
        "request-id": "r",
      }).code,
    ).toBe("PermissionScopeNotGranted");
  });

  it("falls back to a known code inside an UnknownError text, and to the status", () => {
    expect(
      normalizeGraphError(400, '{"error":{"code":"UnknownError","message":"RoleAssignmentExists: nope"}}', {}).code,
    ).toBe("RoleAssignmentExists");
    expect(normalizeGraphError(429, '{"error":{"code":"UnknownError","message":""}}', {}).code).toBe("TooManyRequests");
    expect(normalizeGraphError(502, "<html>bad gateway</html>", {}).code).toBe("HTTP502");
  });

  it("reads policy rule names in both message formats", () => {
    expect(policyRules('The following policy rules failed: ["MfaRule","TicketingRule"]')).toEqual([
      "MfaRule",
      "TicketingRule",
    ]);
    expect(
      policyRules(
        "The following policy rules failed: ExpirationRule - The duration in the request is greater than maximum allowed duration",
      ),
    ).toEqual(["ExpirationRule"]);
  });

  it("decodes the claims challenge from the Acrs message (with the space PIM puts in it)", () => {
    const msg =
      "&claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%7D%7D";
    expect(JSON.parse(claimsFromAcrsMessage(msg) ?? "")).toEqual({
      access_token: { acrs: { essential: true, value: "c1" } },
    });
    expect(claimsFromAcrsMessage("no claims here")).toBeNull();
  });

  it("decodes a CAE WWW-Authenticate challenge, and ignores other 401s", () => {
    const claims = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString("base64");
    expect(
      claimsFromWwwAuthenticate(
        `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
      ),
    ).toContain('"nbf"');
    expect(claimsFromWwwAuthenticate('Bearer realm="", client_id="00000003"')).toBeNull();
  });
});

describe("policy summary", () => {
  it("reduces the rules, case-insensitively", () => {
    const p = summarizePolicy([
      { id: "Expiration_EndUser_Assignment", maximumDuration: "PT4H" },
      { id: "enablement_enduser_assignment", enabledRules: ["multifactorauthentication", "Ticketing"] },
      {
        id: "Approval_EndUser_Assignment",
        setting: {
          isApprovalRequired: true,
          approvalStages: [
            {
              primaryApprovers: [
                { userId: "u1", description: "Jane" },
                { groupId: "g1", description: null },
              ],
            },
          ],
        },
      },
      { id: "AuthenticationContext_EndUser_Assignment", isEnabled: false, claimValue: "c9" },
    ]);
    expect(p).toMatchObject({
      known: true,
      maxDurationMs: 4 * 3600_000,
      mfaRequired: true,
      ticketRequired: true,
      justificationRequired: false,
      approvalRequired: true,
      authContext: null,
    });
    expect(p.approvers).toEqual([
      { id: "u1", description: "Jane", kind: "user" },
      { id: "g1", description: null, kind: "group" },
    ]);
  });
});

describe("durations", () => {
  it("accepts what people type and what PIM writes", () => {
    expect(parseDuration("90m")).toBe(90 * 60_000);
    expect(parseDuration("2h")).toBe(2 * 3600_000);
    expect(parseDuration("1h30m")).toBe(90 * 60_000);
    expect(parseDuration("1.5h")).toBe(90 * 60_000);
    expect(parseDuration("PT2H")).toBe(2 * 3600_000);
    expect(parseDuration("45")).toBe(45 * 60_000);
    expect(toIsoDuration(90 * 60_000)).toBe("PT1H30M");
    expect(toIsoDuration(30 * 60_000)).toBe("PT30M");
    expect(formatDuration(72 * 60_000)).toBe("1 h 12 min");
  });
  it("refuses nonsense and too-short durations with the fix", () => {
    expect(() => parseDuration("soon")).toThrow(/Write it like 90m/);
    expect(() => parseDuration("PT1M")).toThrow(/at least 5 minutes/);
  });
});

describe("polling schedule", () => {
  it("polls provisioning every 600 ms; approval slowly, settling at 30 s", () => {
    let now = 0;
    const s = new PollSchedule("provisioning", () => now);
    const first = Array.from({ length: 8 }, () => s.next());
    expect(first).toEqual([600, 600, 600, 600, 600, 600, 600, 600]);
    // 8 s of provisioning costs at most 14 looks (shared by every request tracked on the plane).
    const p = new PollSchedule("provisioning", () => now);
    let t = 0;
    let polls = 0;
    while (t < 8000) {
      t += p.next();
      polls++;
    }
    expect(polls).toBeLessThanOrEqual(14);
    s.enter("approval");
    expect([s.next(), s.next(), s.next(), s.next(), s.next()]).toEqual([5000, 10_000, 15_000, 30_000, 30_000]);
    const slow = new PollSchedule("provisioning", () => now);
    now = 61_000;
    expect(slow.next()).toBe(5000);
  });
});

describe("scrub", () => {
  it("removes tokens from text bound for logs", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
    expect(scrub(`Authorization: Bearer ${jwt}`)).not.toContain(jwt);
    expect(scrub('{"refresh_token":"0.AAAAabcdef"}')).toBe('{"refresh_token":"[redacted]"}');
  });
});
