// Typed errors. Each carries a message for people (what happened and what to do next), a stable
// kind that front ends map to exit codes and icons, and the cause kept for the log. Messages never
// contain tokens: they are built from our own words and from server error text, which has none.

export type ErrorKind =
  | "usage" // the caller asked for something malformed (bad duration, unknown option)
  | "not-found" // unknown group, profile or request
  | "ambiguous" // a name matches several groups, or both a profile and a group
  | "auth" // sign-in needed, failed, or was refused
  | "consent" // the tenant has not consented to the client, and the user cannot: an administrator must
  | "policy" // refused by PIM policy or by our local policy check; nothing was activated
  | "denied" // an approver denied, or PIM failed the request
  | "network" // unreachable, timed out, or throttled past our patience
  | "server" // Graph or Entra answered with something we did not expect
  | "config" // a settings or profile file is damaged or invalid
  | "pending" // still waiting (approval or provisioning) when the wait ended
  | "conflict"; // someone else acted first (an approval already decided); nothing was sent twice

export class PimTrayError extends Error {
  readonly kind: ErrorKind;
  /** Extra facts for the log and for --json output (no secrets). */
  readonly details: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PimTrayError";
    this.kind = kind;
    this.details = options.details ?? {};
  }
}

export class UsageError extends PimTrayError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("usage", message, { details });
    this.name = "UsageError";
  }
}

export class NotFoundError extends PimTrayError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("not-found", message, { details });
    this.name = "NotFoundError";
  }
}

export class AmbiguousError extends PimTrayError {
  constructor(
    message: string,
    readonly candidates: Array<{ id: string; label: string }>,
  ) {
    super("ambiguous", message, { details: { candidates } });
    this.name = "AmbiguousError";
  }
}

export class AuthError extends PimTrayError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("auth", message, options);
    this.name = "AuthError";
  }
}

/**
 * AADSTS65001 / consent_required: the organisation has not consented to the client for the PIM
 * scopes, and users may not consent themselves. Signing in again cannot help; an administrator can.
 */
export class ConsentRequiredError extends PimTrayError {
  constructor(
    message: string,
    readonly facts: { adminConsentUrl: string; clientId: string; tenant: string; scopes: string[]; docs: string },
    options: { cause?: unknown } = {},
  ) {
    super("consent", message, { ...options, details: { ...facts } });
    this.name = "ConsentRequiredError";
  }
}

export class PolicyError extends PimTrayError {
  constructor(
    message: string,
    /** Rule names such as ExpirationRule, JustificationRule, or local checks. */
    readonly rules: string[],
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super("policy", message, { ...options, details: { rules, ...options.details } });
    this.name = "PolicyError";
  }
}

/** Someone acted first: an approval already decided by another approver, or by you. Nothing was sent. */
export class ConflictError extends PimTrayError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("conflict", message, options);
    this.name = "ConflictError";
  }
}

export class NetworkError extends PimTrayError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("network", message, options);
    this.name = "NetworkError";
  }
}

export class ConfigError extends PimTrayError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("config", message, options);
    this.name = "ConfigError";
  }
}

/**
 * A PIM service (Graph or Azure Resource Manager) answered with an error envelope we normalised.
 * PIM's codes (RoleAssignmentExists, ActiveDurationTooShort, …) are the same on every plane, so the
 * activation code reads `code` without caring which service sent it.
 */
export class ServiceError extends PimTrayError {
  constructor(
    readonly service: "graph" | "arm",
    readonly status: number,
    /** The effective code: for Graph, the wrapped errorCode when it sent UnknownError with JSON inside. */
    readonly code: string,
    readonly serverMessage: string,
    readonly requestId: string | null,
    kind: ErrorKind,
    userMessage: string,
  ) {
    super(kind, userMessage, { details: { status, code, requestId } });
    this.name = "ServiceError";
  }
}

/** Graph answered with an error envelope we normalised. */
export class GraphError extends ServiceError {
  constructor(
    status: number,
    code: string,
    serverMessage: string,
    requestId: string | null,
    kind: ErrorKind = "server",
    userMessage?: string,
  ) {
    super(
      "graph",
      status,
      code,
      serverMessage,
      requestId,
      kind,
      userMessage ?? `Microsoft Graph refused the request (${status} ${code}): ${serverMessage}`,
    );
    this.name = "GraphError";
  }
}

/** Azure Resource Manager answered with its `{"error":{"code","message"}}` envelope. */
export class ArmError extends ServiceError {
  constructor(
    status: number,
    code: string,
    serverMessage: string,
    requestId: string | null,
    kind: ErrorKind = "server",
    userMessage?: string,
  ) {
    super(
      "arm",
      status,
      code,
      serverMessage,
      requestId,
      kind,
      userMessage ?? `Azure Resource Manager refused the request (${status} ${code}): ${serverMessage}`,
    );
    this.name = "ArmError";
  }
}

/** The chain of causes as plain text, for logs. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof Error) {
      parts.push(`${e.name}: ${e.message}`);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(" <- ");
}
