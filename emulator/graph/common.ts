import type { Ctx } from "../http.js";
import type { CallerClaims } from "../model.js";
import type { PimState } from "../pim.js";
import type { RoleState } from "../roles/state.js";
import { skipToken } from "../odata.js";
import type { SigningKeys } from "../tokens.js";
import { GraphFault, missingScope } from "./fault.js";

export interface GraphSettings {
  pageSize: number;
  /** Simulates `$expand=group` coming back null, which third parties report seeing. */
  emptyGroupExpansion: boolean;
  /** Simulates an ordinary user who may not read role management policies. */
  denyPolicyRead: boolean;
}

export interface GraphDeps {
  pim: () => PimState;
  /** The directory-roles plane (emulator/roles/). */
  roles: () => RoleState;
  keys: SigningKeys;
  now: () => number;
  settings: GraphSettings;
  /** Per user: tokens issued before this emulator time (s) must answer a CAE claims challenge. */
  caeRevokedAt: Map<string, number>;
  /**
   * The status fault (throttling, an outage) for one request inside a $batch, if a rule says so: Graph answers
   * each inner request on its own, so a batch can come back 200 with some of its requests throttled.
   */
  innerFault?: (method: string, path: string, outerPath: string) => { delayMs: number; status: InjectedStatus | null };
}

export interface InjectedStatus {
  status: number;
  retryAfter: number | undefined;
}

/** One authenticated Graph request, as every route group sees it. */
export interface GraphCall {
  ctx: Ctx;
  caller: CallerClaims;
  pim: PimState;
  deps: GraphDeps;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const PIM_BASE = "identityGovernance/privilegedAccess/group";

export const READ_ELIGIBILITY = [
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
  "PrivilegedAccess.Read.AzureADGroup",
  "PrivilegedAccess.ReadWrite.AzureADGroup",
];
export const READ_ASSIGNMENT = [
  "PrivilegedAssignmentSchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "PrivilegedAccess.Read.AzureADGroup",
  "PrivilegedAccess.ReadWrite.AzureADGroup",
];
export const READ_POLICY = ["RoleManagementPolicy.Read.AzureADGroup", "RoleManagementPolicy.ReadWrite.AzureADGroup"];
export const READ_USER = ["User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"];
export const READ_GROUP = ["GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All"];

export function requireScope(caller: CallerClaims, accepted: string[], wrapped = true): void {
  const ok = caller.scp.some((s) => accepted.some((a) => a.toLowerCase() === s.toLowerCase()));
  if (ok) return;
  if (wrapped) throw missingScope(accepted);
  throw new GraphFault(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

/** Graph writes query option names with a literal `$` in its links, and encodes spaces as %20. */
export function nextLink(ctx: Ctx, offset: number): string {
  const parts: string[] = [];
  for (const [k, v] of ctx.query) {
    if (k.toLowerCase() !== "$skiptoken")
      parts.push(`${k}=${encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/gi, ",")}`);
  }
  parts.push(`$skiptoken=${skipToken(offset)}`);
  const path = ctx.path
    .split("/")
    .map((seg) => encodeURI(seg))
    .join("/");
  return `${ctx.origin}${path}?${parts.join("&")}`;
}

export function parseCurrentUserFunction(segment: string, allowed: string[]): string {
  const m = /^filterByCurrentUser\(on='([^']*)'\)$/i.exec(segment);
  const on = allowed.find((a) => a.toLowerCase() === (m?.[1] ?? "").toLowerCase());
  if (!m)
    throw new GraphFault(
      400,
      "BadRequest",
      `Resource not found for the segment '${segment}'. Use filterByCurrentUser(on='principal').`,
    );
  if (!on)
    throw new GraphFault(
      400,
      "BadRequest",
      `The parameter 'on' has an invalid value '${m[1]}'. Allowed: ${allowed.join(", ")}.`,
    );
  return on;
}

export function requireGroupOrPrincipalFilter(clauses: Array<{ field: string }>): void {
  if (!clauses.some((c) => c.field === "groupId" || c.field === "principalId")) {
    throw new GraphFault(
      400,
      "BadRequest",
      "A $filter on groupId or principalId (eq) is required for this list. To list your own items, use filterByCurrentUser(on='principal').",
    );
  }
}
