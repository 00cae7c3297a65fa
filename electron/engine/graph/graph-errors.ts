import { GraphError, type ErrorKind } from "../errors.js";
import { scrub } from "../logger.js";

// Graph's errors come in several shapes: the plain envelope, PIM's wrapped `UnknownError` whose
// message is itself JSON, a top-level `errorCode` object, and two formats of policy-rule messages.

export interface NormalizedError {
  code: string;
  message: string;
  requestId: string | null;
}

const KNOWN_CODES = [
  "RoleAssignmentRequestPolicyValidationFailed",
  "RoleAssignmentRequestAcrsValidationFailed",
  "RoleAssignmentExists",
  "RoleAssignmentDoesNotExist",
  "ActiveDurationTooShort",
  "PermissionScopeNotGranted",
  "InvalidAuthenticationToken",
  "AuthorizationFailed",
  "TooManyRequests",
];

export function normalizeGraphError(
  status: number,
  bodyText: string,
  headers: Record<string, string>,
): NormalizedError {
  let code = "";
  let message = "";
  let requestId = headers["request-id"] ?? null;
  try {
    const body = JSON.parse(bodyText) as {
      error?: { code?: string; message?: string; innerError?: { "request-id"?: string } };
      errorCode?: string;
      message?: string;
    };
    if (body.error) {
      code = body.error.code ?? "";
      message = body.error.message ?? "";
      requestId = body.error.innerError?.["request-id"] ?? requestId;
    } else if (body.errorCode) {
      code = body.errorCode;
      message = body.message ?? "";
    }
  } catch {
    message = bodyText.slice(0, 300);
  }
  if (!code || code.toLowerCase() === "unknownerror") {
    try {
      const inner = JSON.parse(message) as { errorCode?: string; message?: string };
      if (inner.errorCode) {
        code = inner.errorCode;
        message = inner.message ?? message;
      }
    } catch {
      // not wrapped JSON: fall through to the substring match
    }
  }
  if (!code || code.toLowerCase() === "unknownerror") {
    const hit = KNOWN_CODES.find((k) => message.includes(k));
    if (hit) code = hit;
  }
  // Throttling sometimes arrives as UnknownError with an empty message.
  if (status === 429 && (!code || code.toLowerCase() === "unknownerror")) code = "TooManyRequests";
  if (!code) code = `HTTP${status}`;
  return { code, message: scrub(message), requestId };
}

/** Rule names from both formats: `["MfaRule","TicketingRule"]` and `ExpirationRule - text`. */
export function policyRules(message: string): string[] {
  return [...new Set([...message.matchAll(/\b([A-Z][A-Za-z]*Rule)\b/g)].map((m) => m[1] ?? ""))].filter(Boolean);
}

/** The claims challenge inside a RoleAssignmentRequestAcrsValidationFailed message, decoded. */
export function claimsFromAcrsMessage(message: string): string | null {
  const m = /claims=([^&"\s]+)/.exec(message);
  if (!m?.[1]) return null;
  try {
    const decoded = decodeURIComponent(m[1]);
    JSON.parse(decoded);
    return decoded;
  } catch {
    return null;
  }
}

/** The base64 claims of a 401 `WWW-Authenticate: ... error="insufficient_claims", claims="..."`. */
export function claimsFromWwwAuthenticate(header: string | undefined): string | null {
  if (!header || !/error="insufficient_claims"/i.test(header)) return null;
  const m = /claims="([^"]+)"/i.exec(header);
  if (!m?.[1]) return null;
  try {
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    JSON.parse(decoded);
    return decoded;
  } catch {
    return null;
  }
}

export function equalsIgnoreCase(a: string | null | undefined, b: string): boolean {
  return (a ?? "").toLowerCase() === b.toLowerCase();
}

/** The error kind for a PIM service answer; Graph and ARM share PIM's codes. */
export function kindFor(status: number, code: string): ErrorKind {
  if (code === "RoleAssignmentRequestPolicyValidationFailed" || code === "ActiveDurationTooShort") return "policy";
  if (code === "PermissionScopeNotGranted" || code === "InvalidAuthenticationToken" || status === 401) return "auth";
  if (status === 404 || code === "RoleAssignmentDoesNotExist") return "not-found";
  if (status === 429 || status >= 500) return "network";
  return "server";
}

function userMessage(status: number, n: NormalizedError): string {
  switch (n.code) {
    case "PermissionScopeNotGranted":
      return `PIM Tray lacks a Microsoft Graph permission (${n.message}). An administrator must grant consent for the app, or use an app registration with the PIM for Groups scopes (see docs/cli.md).`;
    case "AuthorizationFailed":
      return `Microsoft Graph refused the request: ${n.message}`;
    case "TooManyRequests":
      return "Microsoft Graph is throttling requests and did not recover in time. Wait a minute and try again.";
    default:
      if (status >= 500) return `Microsoft Graph had a problem (${status} ${n.code}). Try again in a moment.`;
      return `Microsoft Graph refused the request (${status} ${n.code}): ${n.message}`;
  }
}

export function toGraphError(status: number, n: NormalizedError): GraphError {
  return new GraphError(status, n.code, n.message, n.requestId, kindFor(status, n.code), userMessage(status, n));
}
