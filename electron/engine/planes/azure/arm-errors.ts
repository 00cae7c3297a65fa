import { ArmError } from "../../errors.js";
import { kindFor, normalizeGraphError, type NormalizedError } from "../../graph/graph-errors.js";

// ARM's error envelope is Graph's plain one (`{"error":{"code","message"}}`, no innerError), so the
// Graph normaliser reads it; only the request id travels in another header (x-ms-request-id).

export function normalizeArmError(status: number, bodyText: string, headers: Record<string, string>): NormalizedError {
  const n = normalizeGraphError(status, bodyText, headers);
  return { ...n, requestId: headers["x-ms-request-id"] ?? n.requestId };
}

const SIGN_IN_CODES = new Set([
  "InvalidAuthenticationToken",
  "InvalidAuthenticationTokenAudience",
  "ExpiredAuthenticationToken",
  "AuthenticationFailed",
]);

function userMessage(status: number, n: NormalizedError): string {
  if (n.code === "InvalidAuthenticationTokenAudience") {
    return `Azure Resource Manager refused the sign-in token because it was issued for another service (InvalidAuthenticationTokenAudience). Sign in again; if it keeps happening, check the Azure Resource Manager endpoint setting.`;
  }
  if (SIGN_IN_CODES.has(n.code) || status === 401) {
    return `Azure Resource Manager did not accept your sign-in (${n.code}). Sign in again.`;
  }
  if (n.code === "AuthorizationFailed") return `Azure refused the request: ${n.message}`;
  if (n.code === "TooManyRequests" || status === 429) {
    return "Azure Resource Manager is throttling requests and did not recover in time. Wait a minute and try again.";
  }
  if (status >= 500) return `Azure Resource Manager had a problem (${status} ${n.code}). Try again in a moment.`;
  return `Azure Resource Manager refused the request (${status} ${n.code}): ${n.message}`;
}

/** A typed ArmError; PIM's code and ARM's message are kept unchanged for the activation code. */
export function toArmError(status: number, n: NormalizedError): ArmError {
  const kind = SIGN_IN_CODES.has(n.code) ? "auth" : kindFor(status, n.code);
  return new ArmError(status, n.code, n.message, n.requestId, kind, userMessage(status, n));
}
