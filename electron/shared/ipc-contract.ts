import { z } from "zod";
import { isTenant, TENANT_RULE } from "../engine/config.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../engine/limits.js";
import { azureTargetSchema, groupTargetSchema, roleTargetSchema } from "../engine/profiles/settings-schema.js";
import type {
  AppState,
  ApprovalsView,
  AzureScopeView,
  DecisionView,
  DoctorReport,
  EligibleView,
  ExportView,
  OutcomeView,
  PlaneStatusView,
  ProfileView,
  RowPolicy,
} from "./ipc-api.js";

// The one IPC contract between main, preload and renderer. Every channel has, in one map, a request
// schema (validated in main: the renderer is untrusted) and a response type. The renderer's API type
// is derived from createApi in ipc-api.ts, never hand-written (gitify's `typeof api` pattern); main's
// handler table (app/handlers) is typed from this map, so a channel without a handler fails typecheck.

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be an id (GUID)");
const accessId = z.enum(["member", "owner"]);
const ticket = z
  .object({
    system: z.string().trim().min(1).max(TICKET_LIMITS.system),
    number: z.string().trim().min(1).max(TICKET_LIMITS.number),
  })
  .strict();
// Measured trimmed, as the engine and the settings schema measure it.
const justification = z
  .string()
  .trim()
  .max(JUSTIFICATION_MAX, `a justification is at most ${JUSTIFICATION_MAX} characters`);
const none = z.object({}).strict().optional();

// Any plane's target, as settings.json validates a profile's (one rule for both). Strict, as every request is;
// told apart by `kind` (absent on groups), so a refusal names the field at fault.
const planeTarget = z.discriminatedUnion("kind", [
  roleTargetSchema.strict(),
  azureTargetSchema.strict(),
  groupTargetSchema.strict(),
]);
/**
 * Activate and deactivate name what they act on either as they always did (groupId and accessId) or by
 * `target` on any plane; exactly one of the two.
 */
const targetFields = { groupId: guid.optional(), accessId: accessId.optional(), target: planeTarget.optional() };
const oneTarget = [
  (r: { groupId?: string | undefined; accessId?: string | undefined; target?: unknown }) =>
    r.target === undefined
      ? r.groupId !== undefined && r.accessId !== undefined
      : r.groupId === undefined && r.accessId === undefined,
  { message: "name either a group (groupId and accessId) or a target, not both" },
] as const;
/** Graph's request ids are GUIDs; an Azure role's request is named by its full ARM id. */
const requestId = z
  .string()
  .max(1024)
  .refine(
    (v) =>
      guid.safeParse(v).success ||
      /^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\/[^?#]+\/providers\/Microsoft\.Authorization\/roleAssignmentScheduleRequests\/[0-9a-f-]{36}$/i.test(
        v,
      ),
    "must be a request id (a GUID, or an Azure request's ARM id)",
  );

/** A channel's response type, carried as a type only: at run time it is an empty object. */
export interface Returns<T> {
  readonly response?: T;
}
const returns = <T>(): Returns<T> => ({});

/** Every channel: the schema its request must pass, and the type of its response. */
export const contract = {
  "app:get-state": { request: none, response: returns<AppState>() },
  "auth:sign-in": {
    request: z
      .object({ method: z.enum(["browser", "device-code"]).optional(), selectAccount: z.boolean().optional() })
      .strict(),
    response: returns<AppState>(),
  },
  "auth:sign-out": { request: none, response: returns<AppState>() },
  /** "Turn on Azure roles": an interactive sign-in for that plane's permissions (consent), then a refresh. */
  "auth:turn-on-plane": {
    request: z
      .object({ plane: z.enum(["role", "azure"]), method: z.enum(["browser", "device-code"]).optional() })
      .strict(),
    response: returns<AppState>(),
  },
  /**
   * The eligibility list. `policies`: "wait" (the default) reads every row's policy first; "later" answers at
   * once, each policy main has not read yet marked loading, and sends them in `pim:policies-read` pushes.
   * `refresh` reads every policy again.
   */
  "pim:eligible": {
    request: z
      .object({ refresh: z.boolean().optional(), policies: z.enum(["wait", "later"]).optional() })
      .strict()
      .optional(),
    response: returns<EligibleView[]>(),
  },
  /**
   * These rows' policies (by target key), read ahead of the rest of the list; answers once they are read.
   * Keys of rows main did not list are left out of the answer.
   */
  "pim:policies": {
    request: z.object({ keys: z.array(z.string().min(1).max(1024)).min(1).max(200) }).strict(),
    response: returns<RowPolicy[]>(),
  },
  "pim:activate": {
    request: z
      .object({
        ...targetFields,
        durationMinutes: z
          .number()
          .int()
          .min(5)
          .max(24 * 60),
        justification: justification.optional(),
        ticket: ticket.optional(),
        startAt: z.string().datetime({ offset: true }).optional(),
        validateOnly: z.boolean().optional(),
      })
      .strict()
      .refine(...oneTarget),
    response: returns<OutcomeView>(),
  },
  "pim:deactivate": {
    request: z
      .object({ ...targetFields })
      .strict()
      .refine(...oneTarget),
    response: returns<OutcomeView>(),
  },
  "pim:cancel": { request: z.object({ requestId }).strict(), response: returns<AppState>() },
  "pim:planes": { request: none, response: returns<PlaneStatusView[]>() },
  "pim:azure-scopes": {
    request: z.object({ scope: azureTargetSchema.shape.scope }).strict(),
    response: returns<AzureScopeView[]>(),
  },
  "profiles:save": {
    request: z
      .object({
        id: z.string().max(100).optional(),
        name: z.string().max(64),
        targets: z.array(planeTarget).max(50),
        durationMinutes: z
          .number()
          .int()
          .min(5)
          .max(24 * 60)
          .optional(),
        justification: justification.optional(),
        ticket: ticket.optional(),
        autoActivate: z.boolean(),
        keepActive: z
          .object({
            enabled: z.boolean(),
            until: z.string().optional(),
            maxRenewals: z.number().int().min(1).max(100).optional(),
          })
          .strict(),
        notifyLeadMinutes: z.array(z.number().int().min(1).max(1440)).max(5).optional(),
      })
      .strict(),
    response: returns<ProfileView>(),
  },
  "profiles:delete": { request: z.object({ id: z.string().min(1).max(100) }).strict(), response: returns<AppState>() },
  "profiles:reorder": {
    request: z.object({ ids: z.array(z.string().min(1).max(100)).max(200) }).strict(),
    response: returns<AppState>(),
  },
  "profiles:activate": {
    request: z.object({ id: z.string().min(1).max(100) }).strict(),
    response: returns<OutcomeView[]>(),
  },
  "settings:update": {
    request: z
      .object({
        leadMinutes: z.array(z.number().int().min(1).max(1440)).min(1).max(5).optional(),
        startAtLogin: z.boolean().optional(),
        tokenStorage: z.enum(["encrypted", "memory"]).optional(),
        cloud: z.enum(["global", "usgov", "usgovdod", "china"]).optional(),
        // Empty means "organizations" (any work account), as in settings.json.
        tenant: z
          .string()
          .max(253)
          .refine((t) => !t.trim() || isTenant(t), `The tenant ${TENANT_RULE}`)
          .optional(),
        clientId: z.union([guid, z.literal("")]).optional(),
        planes: z
          .object({ group: z.boolean().optional(), role: z.boolean().optional(), azure: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict(),
    response: returns<AppState>(),
  },
  "approvals:list": {
    request: z.object({ refresh: z.boolean().optional() }).strict().optional(),
    response: returns<ApprovalsView>(),
  },
  "approvals:decide": {
    request: z
      .object({
        kind: z.enum(["group", "role", "azure"]),
        // Graph's request id, or an Azure request's name: a GUID on every plane.
        requestId: guid,
        decision: z.enum(["Approve", "Deny"]),
        justification,
      })
      .strict(),
    response: returns<DecisionView>(),
  },
  "approvals:set-enabled": { request: z.object({ enabled: z.boolean() }).strict(), response: returns<AppState>() },
  "shell:open-external": { request: z.object({ url: z.string().url().max(2048) }).strict(), response: returns<null>() },
  "app:hide": { request: none, response: returns<null>() },
  /** Troubleshoot: runs the doctor's checks (the same report as `pimtray doctor --json`). */
  "app:doctor": { request: none, response: returns<DoctorReport>() },
  /** "Export diagnostics…": the save dialog, then the zip (logs, report, settings, policy; secrets scrubbed). */
  "app:export-diagnostics": { request: none, response: returns<ExportView>() },
} as const satisfies Record<string, { request: z.ZodType; response: Returns<unknown> }>;

export type Channel = keyof typeof contract;
/** What the renderer sends: the schema's input. */
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]["request"]>;
/** What main's handler receives: the schema's output, once validated (strings trimmed where the schema trims). */
export type ParsedRequest<C extends Channel> = z.output<(typeof contract)[C]["request"]>;
export type Responses = { [C in Channel]: (typeof contract)[C]["response"] extends Returns<infer T> ? T : never };

// Object.keys types its result as string[]; these are exactly the contract's keys.
export const CHANNELS = Object.keys(contract) as Channel[];

export * from "./ipc-api.js";

/** Validates a payload against its channel's schema: the parsed value, or a plain-language error. */
export function validateRequest<C extends Channel>(
  channel: C,
  payload: unknown,
): { ok: true; value: ParsedRequest<C> } | { ok: false; message: string } {
  const schema = contract[channel]?.request;
  if (!schema) return { ok: false, message: `Unknown channel '${String(channel)}'.` };
  const r = schema.safeParse(payload);
  // zod types a parse through a union of schemas as the union of their outputs; this one is C's.
  if (r.success) return { ok: true, value: r.data as ParsedRequest<C> };
  const issue = r.error.issues[0];
  return {
    ok: false,
    message: `Invalid request${issue?.path.length ? ` at '${issue.path.join(".")}'` : ""}: ${issue?.message ?? "malformed"}.`,
  };
}

export function isChannel(c: unknown): c is Channel {
  return typeof c === "string" && Object.prototype.hasOwnProperty.call(contract, c);
}
