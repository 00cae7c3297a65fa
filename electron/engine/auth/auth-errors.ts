import { AuthError as MsalAuthError, InteractionRequiredAuthError } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError, ConsentRequiredError, NetworkError, PimTrayError } from "../errors.js";
import { OWN_REGISTRATION_DOCS } from "./auth-types.js";
import type { MsalNetworkModule } from "./msal-network.js";

type LastTokenError = MsalNetworkModule["lastTokenError"];

/** Entra's ways of saying "not consented, and this user may not consent": AADSTS65001 and 90094. */
export function isConsentError(e: MsalAuthError, lastTokenError: LastTokenError): boolean {
  const sub = (e as { subError?: unknown }).subError;
  if (e.errorCode === "consent_required" || sub === "consent_required") return true;
  if (/\bAADSTS(65001|90094)\b/.test(e.errorMessage)) return true;
  // The device-code poller keeps only the error word; the network module saw the whole answer.
  return (
    e.errorCode === "post_request_failed" &&
    lastTokenError !== null &&
    e.errorMessage.trim() === lastTokenError.error &&
    (lastTokenError.suberror === "consent_required" ||
      lastTokenError.codes.includes(65001) ||
      lastTokenError.codes.includes(90094))
  );
}

/** What to ask an administrator for, with the admin-consent URL for this tenant and client. */
export function consentRequired(
  c: ResolvedConnection,
  cause: unknown,
  requested: string[] = c.scopes,
): ConsentRequiredError {
  const arm = requested.some((s) => c.planeScopes.azure.includes(s));
  const scopes = requested.map((s) => (arm ? s : s.slice(s.lastIndexOf("/") + 1)));
  const adminConsentUrl = `${c.authority}/adminconsent?client_id=${encodeURIComponent(c.clientId)}`;
  return new ConsentRequiredError(
    `Your organisation has not approved this sign-in app (client id ${c.clientId}) for PIM, and only an administrator can (AADSTS65001: consent required). ` +
      `Ask an administrator to grant admin consent for the delegated ${arm ? "Azure Service Management permission" : "Microsoft Graph permissions"} ${scopes.join(", ")}, at:\n  ${adminConsentUrl}\n` +
      `Or ask them to register your organisation's own app and use its client id: see ${OWN_REGISTRATION_DOCS}.`,
    { adminConsentUrl, clientId: c.clientId, tenant: c.tenant, scopes, docs: OWN_REGISTRATION_DOCS },
    { cause },
  );
}

/** Any failure from MSAL as one of ours: consent, network, or an AuthError naming MSAL's code. */
export function wrapAuthError(
  e: unknown,
  what: string,
  connection: ResolvedConnection,
  lastTokenError: LastTokenError,
  scopes: string[] = connection.scopes,
): PimTrayError {
  if (e instanceof PimTrayError) return e;
  if (e instanceof MsalAuthError) {
    if (isConsentError(e, lastTokenError)) return consentRequired(connection, e, scopes);
    const code = e.errorCode;
    if (
      code === "network_error" ||
      (code === "post_request_failed" && /ECONN|ENOTFOUND|timed out/i.test(e.errorMessage))
    ) {
      return new NetworkError(
        `${what}: the sign-in service could not be reached. Check your network, then try again.`,
        {
          cause: e,
        },
      );
    }
    // Only the first line of Entra's description: it names the AADSTS code without trace noise.
    const reason = (e.errorMessage.split(/\r?\n| Trace ID:/)[0] ?? "").trim();
    const hint =
      code === "access_denied"
        ? " You canceled, or your organisation did not allow the sign-in."
        : code === "invalid_grant" || e instanceof InteractionRequiredAuthError
          ? " Sign in again."
          : "";
    return new AuthError(`${what} (${code}${reason ? `: ${reason}` : ""}).${hint}`, {
      cause: e,
      details: { msalCode: code },
    });
  }
  return new AuthError(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
