import type { Ticket, WaitFor } from "../engine/activation/activation-service.js";
import { parseDuration, parseIsoDuration, toIsoDuration } from "../engine/duration.js";
import { UsageError } from "../engine/errors.js";
import type { AccessId } from "../engine/graph/pim-client.js";
import { justificationProblem, ticketProblem } from "../engine/limits.js";
import { PLANE_KINDS, type PlaneKind } from "../engine/planes/targets.js";
import type { ProfileInput } from "../engine/profiles/settings-schema.js";

// Option and argument parsing for `pimtray`: pure functions that turn what the user typed into
// engine values, or throw a UsageError naming the fix. Every command validates its options here
// before it signs in or sends a request.

export function parseAs(v: string | undefined): AccessId | undefined {
  if (v === undefined) return undefined;
  const k = v.toLowerCase();
  if (k !== "member" && k !== "owner") throw new UsageError(`--as takes member or owner, not '${v}'.`);
  return k;
}

export function parseTicket(v: string | undefined): Ticket | undefined {
  if (v === undefined) return undefined;
  const i = v.indexOf(":");
  const system = i > 0 ? v.slice(0, i).trim() : "";
  const number = i > 0 ? v.slice(i + 1).trim() : "";
  if (!system || !number) {
    throw new UsageError(`Write the ticket as SYSTEM:NUMBER, for example ServiceNow:INC0012345 (got '${v}').`);
  }
  const tooLong = ticketProblem({ system, number });
  if (tooLong) throw new UsageError(tooLong);
  return { system, number };
}

/** --justification, refused here when too long: before sign-in, before any request. */
export function parseJustification(v: string | undefined): string | undefined {
  const tooLong = justificationProblem(v);
  if (tooLong) throw new UsageError(tooLong);
  return v;
}

/**
 * `approve` and `deny` --justification: always required by the CLI (PIM records it with the decision, and
 * most policies ask approvers for one), not blank, and within the length limit.
 */
export function parseDecisionJustification(v: string | undefined, verb: "approve" | "deny"): string {
  if (v === undefined || !v.trim()) {
    throw new UsageError(
      `Give a reason to ${verb} with --justification TEXT: PIM records it with your decision, and the requester sees it.`,
    );
  }
  return parseJustification(v.trim()) ?? "";
}

/** `pimtray approvals [on|off]`: nothing lists what waits for me; on and off set "I approve requests". */
export function parseApprovalsAction(v: string | undefined): "list" | "on" | "off" {
  if (v === undefined) return "list";
  const a = v.trim().toLowerCase();
  if (a === "on" || a === "off" || a === "list") return a;
  throw new UsageError(
    `\`pimtray approvals\` takes on or off (or nothing, to list what waits for you), not '${v}'. To decide, run pimtray approve REQUEST_ID --justification TEXT.`,
  );
}

export function parseStart(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    throw new UsageError(`--start takes an ISO-8601 date-time such as 2026-11-27T16:00:00+01:00 (got '${v}').`);
  }
  return d;
}

/** --timeout: 30s, 5m, 2h or PT10M; unlike activation durations there is no 5-minute floor. */
export function parseTimeout(v: string | undefined, fallbackMs: number): number {
  if (v === undefined) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)$/i.exec(v.trim());
  const unitMs: Record<string, number> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3600_000 };
  if (m) return Math.round(Number(m[1]) * (unitMs[(m[2] ?? "s").toLowerCase()] ?? 1000));
  const iso = parseIsoDuration(v);
  if (iso === null || iso <= 0) throw new UsageError(`--timeout takes a duration such as 30s, 5m or 1h (got '${v}').`);
  return iso;
}

/** --wait waits for the final state, --no-wait for nothing; neither waits until the access is usable. */
export function parseWaitFor(o: { wait?: boolean; noWait?: boolean }): WaitFor {
  if (o.wait && o.noWait) throw new UsageError("Use --wait or --no-wait, not both.");
  return o.wait ? "final" : o.noWait ? "none" : "provisioned";
}

/** --profile or --group: which kind of name to prefer when a name could be either. */
export function parseNameKind(o: { profile?: boolean; group?: boolean }): "profile" | "group" | undefined {
  if (o.profile && o.group) throw new UsageError("Use --profile or --group, not both.");
  return o.profile ? "profile" : o.group ? "group" : undefined;
}

/** --kind (and login --plane): group, role or azure; "roles"/"groups" are accepted too. */
export function parseKind(v: string | undefined, option = "--kind"): PlaneKind | undefined {
  if (v === undefined) return undefined;
  const k = v.trim().toLowerCase().replace(/s$/, "");
  if (!(PLANE_KINDS as readonly string[]).includes(k)) {
    throw new UsageError(`${option} takes group, role or azure, not '${v}'.`);
  }
  return k as PlaneKind;
}

/** A profile's --role or --azure value: NAME or NAME@SCOPE (scope ids never contain "@"). */
export function parseRoleSpec(v: string): { name: string; scope: string | undefined } {
  const i = v.lastIndexOf("@");
  const name = (i > 0 ? v.slice(0, i) : v).trim();
  const scope = i > 0 ? v.slice(i + 1).trim() : undefined;
  if (!name || scope === "") throw new UsageError(`Write a role as NAME or NAME@SCOPE (got '${v}').`);
  return { name, scope };
}

/** A profile's --group value: NAME, or NAME:member / NAME:owner to set the role for that group alone. */
export function parseGroupSpec(g: string, as: AccessId | undefined): { name: string; as: AccessId | undefined } {
  const m = /^(.*):(member|owner)$/i.exec(g);
  return m ? { name: m[1] ?? "", as: parseAs(m[2]) } : { name: g, as };
}

/** history --limit: a whole number, at least 1; 20 when not given. */
export function parseLimit(v: string | undefined): number {
  const limit = v ? Number(v) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit takes a whole number, at least 1.");
  return limit;
}

/** Which eligibility a name means: --kind, --scope, --as, and --profile/--group for profile names. */
export interface SelectorOptions {
  as?: string;
  kind?: string;
  scope?: string;
  profile?: boolean;
  group?: boolean;
}

export interface ActivateOptions extends SelectorOptions {
  as?: string;
  duration?: string;
  justification?: string;
  ticket?: string;
  start?: string;
  wait?: boolean;
  noWait?: boolean;
  timeout?: string;
  validateOnly?: boolean;
  profile?: boolean;
  group?: boolean;
}

export interface ParsedActivateOptions {
  durationMs: number | undefined;
  ticket: Ticket | undefined;
  startAt: Date | undefined;
  waitFor: WaitFor;
  timeoutMs: number;
}

/** Every `activate` option, checked before any request is sent. */
export function parseActivateOptions(o: ActivateOptions): ParsedActivateOptions {
  const durationMs = o.duration ? parseDuration(o.duration) : undefined;
  const ticket = parseTicket(o.ticket);
  parseJustification(o.justification);
  const startAt = parseStart(o.start);
  parseAs(o.as);
  parseKind(o.kind);
  const waitFor = parseWaitFor(o);
  const timeoutMs = parseTimeout(o.timeout, o.wait ? 15 * 60_000 : 60_000);
  return { durationMs, ticket, startAt, waitFor, timeoutMs };
}

export interface ProfileOptions {
  group?: string[];
  role?: string[];
  azure?: string[];
  as?: string;
  duration?: string;
  justification?: string;
  ticket?: string;
  autoActivate?: boolean;
  keepActiveUntil?: string;
  keepActiveRenewals?: string;
  notify?: string;
  name?: string;
}

/** The profile fields `profile add` and `profile edit` set; the groups need Graph and are resolved apart. */
export function parseProfileFields(o: ProfileOptions): Partial<ProfileInput> {
  const out: Partial<ProfileInput> = {};
  if (o.duration) out.duration = toIsoDuration(parseDuration(o.duration));
  if (o.justification !== undefined) out.justification = parseJustification(o.justification);
  if (o.ticket !== undefined) out.ticket = parseTicket(o.ticket);
  if (o.autoActivate !== undefined) out.autoActivate = o.autoActivate;
  if (o.keepActiveUntil !== undefined || o.keepActiveRenewals !== undefined) {
    const renewals = o.keepActiveRenewals !== undefined ? Number(o.keepActiveRenewals) : undefined;
    if (renewals !== undefined && (!Number.isInteger(renewals) || renewals < 1)) {
      throw new UsageError("--keep-active-renewals takes a whole number, at least 1.");
    }
    out.keepActive = {
      enabled: true,
      ...(o.keepActiveUntil ? { until: o.keepActiveUntil } : {}),
      ...(renewals ? { maxRenewals: renewals } : {}),
    };
  }
  if (o.notify !== undefined) {
    const minutes = o.notify.split(",").map((s) => Number(s.trim()));
    if (minutes.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new UsageError("--notify takes minutes before expiry, such as 10,2.");
    }
    out.notifyLeadMinutes = minutes;
  }
  return out;
}
