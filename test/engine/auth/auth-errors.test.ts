import { AuthError as MsalAuthError, InteractionRequiredAuthError } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import type { ResolvedConnection } from "../../../electron/engine/config.js";
import { consentRequired, isConsentError, wrapAuthError } from "../../../electron/engine/auth/auth-errors.js";
import { OWN_REGISTRATION_DOCS } from "../../../electron/engine/auth/auth-types.js";
import { AuthError, ConsentRequiredError, NetworkError, UsageError } from "../../../electron/engine/errors.js";

const connection: ResolvedConnection = {
  cloud: "global",
  tenant: "contoso.com",
  clientId: "11111111-2222-3333-4444-555555555555",
  authority: "https://login.microsoftonline.com/contoso.com",
  authorityHostPort: "login.microsoftonline.com",
  graphBaseUrl: "https://graph.microsoft.com",
  armBaseUrl: "https://management.azure.com",
  planeScopes: { group: [], role: [], azure: ["https://management.azure.com/.default"] },
  scopes: [
    "https://graph.microsoft.com/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    "https://graph.microsoft.com/User.Read",
  ],
  custom: false,
};

// MSAL's errors take a correlation id second; it plays no part here.
const msal = (code: string, message: string, sub?: string) => new MsalAuthError(code, "", message, sub);
const interactionRequired = (code: string, message: string, sub?: string) =>
  new InteractionRequiredAuthError(code, "", message, sub);

const tokenError = (error: string, codes: number[], suberror: string | null = null) => ({ error, suberror, codes });

describe("isConsentError", () => {
  it("recognises consent_required as the code or the sub-error", () => {
    expect(isConsentError(msal("consent_required", "x"), null)).toBe(true);
    expect(isConsentError(interactionRequired("invalid_grant", "x", "consent_required"), null)).toBe(true);
  });

  it("recognises AADSTS65001 and AADSTS90094 in the message, and nothing else", () => {
    expect(isConsentError(msal("invalid_grant", "AADSTS65001: The user has not consented"), null)).toBe(true);
    expect(isConsentError(msal("invalid_grant", "AADSTS90094: Admin approval needed"), null)).toBe(true);
    expect(isConsentError(msal("invalid_grant", "AADSTS650011: something else"), null)).toBe(false);
    expect(isConsentError(msal("invalid_grant", "AADSTS50076: MFA required"), null)).toBe(false);
  });

  it("reads the device-code poller's bare error word against the token endpoint's full answer", () => {
    const polled = msal("post_request_failed", "invalid_grant");
    expect(isConsentError(polled, tokenError("invalid_grant", [65001]))).toBe(true);
    expect(isConsentError(polled, tokenError("invalid_grant", [90094]))).toBe(true);
    expect(isConsentError(polled, tokenError("invalid_grant", [], "consent_required"))).toBe(true);
    // A different answer, or none, is not consent.
    expect(isConsentError(polled, tokenError("invalid_grant", [50076]))).toBe(false);
    expect(isConsentError(polled, tokenError("access_denied", [65001]))).toBe(false);
    expect(isConsentError(polled, null)).toBe(false);
  });
});

describe("consentRequired", () => {
  it("names the admin-consent URL, the client and the short scope names", () => {
    const e = consentRequired(connection, new Error("cause"));
    expect(e).toBeInstanceOf(ConsentRequiredError);
    expect(e.kind).toBe("consent");
    expect(e.facts).toEqual({
      adminConsentUrl: `${connection.authority}/adminconsent?client_id=${connection.clientId}`,
      clientId: connection.clientId,
      tenant: "contoso.com",
      scopes: ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "User.Read"],
      docs: OWN_REGISTRATION_DOCS,
    });
    expect(e.message).toContain("AADSTS65001");
    expect(e.message).toContain(e.facts.adminConsentUrl);
  });
});

describe("wrapAuthError", () => {
  const wrap = (e: unknown, last: Parameters<typeof wrapAuthError>[3] = null) =>
    wrapAuthError(e, "Sign-in failed", connection, last);

  it("passes our own errors through unchanged", () => {
    const ours = new UsageError("no");
    expect(wrap(ours)).toBe(ours);
  });

  it("turns consent refusals into ConsentRequiredError", () => {
    expect(wrap(msal("post_request_failed", "invalid_grant"), tokenError("invalid_grant", [65001]))).toBeInstanceOf(
      ConsentRequiredError,
    );
  });

  it("turns an unreachable sign-in service into a NetworkError", () => {
    expect(wrap(msal("network_error", "fetch failed"))).toBeInstanceOf(NetworkError);
    expect(wrap(msal("post_request_failed", "connect ECONNREFUSED 127.0.0.1:1"))).toBeInstanceOf(NetworkError);
    expect(wrap(msal("post_request_failed", "invalid_grant"))).not.toBeInstanceOf(NetworkError);
  });

  it("keeps the code and only the first line of Entra's description, with a hint", () => {
    const e = wrap(msal("access_denied", "AADSTS65004: User declined.\r\nTrace ID: abc"));
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toBe(
      "Sign-in failed (access_denied: AADSTS65004: User declined.). You canceled, or your organisation did not allow the sign-in.",
    );
    expect(e.details).toEqual({ msalCode: "access_denied" });
    expect(wrap(interactionRequired("interaction_required", "AADSTS50076: MFA")).message).toBe(
      "Sign-in failed (interaction_required: AADSTS50076: MFA). Sign in again.",
    );
    expect(wrap(msal("invalid_grant", "AADSTS70000: bad Trace ID: 1")).message).toBe(
      "Sign-in failed (invalid_grant: AADSTS70000: bad). Sign in again.",
    );
  });

  it("wraps anything else as an AuthError with its message", () => {
    const e = wrap(new Error("boom"));
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toBe("Sign-in failed: boom");
  });
});
