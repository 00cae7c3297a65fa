import { z } from "zod";
import { parseIsoDuration } from "../duration.js";
import { isTenant, TENANT_RULE } from "../config.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../limits.js";

// settings.json: connection, account, notification defaults and profiles, shared by the CLI and
// the tray app. schemaVersion lets later versions migrate it; see settings-store.ts.

/** 2: profiles hold roles and Azure roles beside groups; planes can be turned off (settings-store.ts migrates 1). */
export const CURRENT_SCHEMA_VERSION = 2;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoDuration = z.string().refine((v) => {
  const ms = parseIsoDuration(v);
  return ms !== null && ms >= 5 * 60_000;
}, "must be an ISO-8601 duration of at least 5 minutes, such as PT30M or PT2H");

const leadMinutes = z
  .array(
    z
      .number()
      .int()
      .min(1, "lead times are whole minutes, at least 1")
      .max(24 * 60),
  )
  .max(5, "at most 5 lead times")
  .transform((v) => [...new Set(v)].sort((a, b) => b - a));

export const ticketSchema = z.object({
  system: z
    .string()
    .trim()
    .min(1, "the ticket system is empty (e.g. ServiceNow)")
    .max(TICKET_LIMITS.system, `the ticket system is at most ${TICKET_LIMITS.system} characters`),
  number: z
    .string()
    .trim()
    .min(1, "the ticket number is empty (e.g. INC0012345)")
    .max(TICKET_LIMITS.number, `the ticket number is at most ${TICKET_LIMITS.number} characters`),
});

const names = {
  roleName: z.string().max(256).optional(),
  scopeName: z.string().max(256).optional(),
};

/** A group target; `kind` may be absent (files from before there were planes). */
export const groupTargetSchema = z.object({
  kind: z.literal("group").optional(),
  groupId: z
    .string()
    .regex(GUID, "must be a group id (a GUID); find it with `pimtray eligible`")
    .transform((v) => v.toLowerCase()),
  accessId: z.enum(["member", "owner"], { message: "must be member or owner" }),
  groupName: z.string().max(256).optional(),
});

/** An Entra ID role at the directory (`/`) or an administrative unit. */
export const roleTargetSchema = z.object({
  kind: z.literal("role"),
  roleDefinitionId: z
    .string()
    .regex(GUID, "must be a role definition id (a GUID); find it with `pimtray eligible --kind role --json`"),
  directoryScopeId: z
    .string()
    .regex(
      /^\/(administrativeUnits\/[0-9a-f-]{36})?$/i,
      "must be / (the directory) or /administrativeUnits/{id}; find it with `pimtray eligible --kind role`",
    ),
  ...names,
});

/** An Azure role at an ARM scope (a management group, subscription, resource group or resource). */
export const azureTargetSchema = z.object({
  kind: z.literal("azure"),
  roleDefinitionId: z
    .string()
    .regex(
      /^(\/[^/]+\/[^/]+)*\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i,
      "must be a full ARM role definition id (…/providers/Microsoft.Authorization/roleDefinitions/{guid}); find it with `pimtray eligible --kind azure --json`",
    ),
  scope: z
    .string()
    .max(1024)
    .regex(
      /^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\/[^/]+(\/.+)?$/i,
      "must be an ARM scope id such as /subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}",
    ),
  ...names,
});

export const targetSchema = z.union([roleTargetSchema, azureTargetSchema, groupTargetSchema]);

export const keepActiveSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Stop renewing after this local time of day, "HH:MM". */
    until: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day like 18:00")
      .optional(),
    maxRenewals: z.number().int().min(1).max(100).optional(),
  })
  .refine((k) => !k.enabled || k.until !== undefined || k.maxRenewals !== undefined, {
    message: "keep-active needs an end: a time of day (until) or a number of renewals (maxRenewals)",
  });

export const profileSchema = z.object({
  id: z.string().min(1),
  name: z
    .string()
    .trim()
    .min(1, "a profile needs a name")
    .max(64, "names are at most 64 characters")
    .refine((n) => !GUID.test(n), "a profile name must not look like a group id"),
  targets: z.array(targetSchema).min(1, "a profile needs at least one group or role"),
  duration: isoDuration.optional(),
  justification: z
    .string()
    .trim()
    .max(JUSTIFICATION_MAX, `justifications are at most ${JUSTIFICATION_MAX} characters`)
    .optional(),
  ticket: ticketSchema.optional(),
  autoActivate: z.boolean().default(false),
  keepActive: keepActiveSchema.default({ enabled: false }),
  notifyLeadMinutes: leadMinutes.optional(),
});

export const settingsSchema = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    connection: z
      .object({
        cloud: z.enum(["global", "usgov", "usgovdod", "china"]).default("global"),
        tenant: z.string().trim().refine(isTenant, `the tenant ${TENANT_RULE}`).default("organizations"),
        clientId: z.string().regex(GUID, "must be an application (client) id GUID").optional(),
        authorityHost: z.string().url().optional(),
        graphEndpoint: z.string().url().optional(),
        armEndpoint: z.string().url().optional(),
      })
      .default({ cloud: "global", tenant: "organizations" }),
    account: z
      .object({
        homeAccountId: z.string(),
        username: z.string(),
        method: z.enum(["browser", "device-code"]).default("browser"),
      })
      .nullable()
      .default(null),
    notifications: z.object({ leadMinutes: leadMinutes.default([10, 2]) }).default({ leadMinutes: [10, 2] }),
    /**
     * The tray app sends tokens to connection.authorityHost/graphEndpoint only when this is true too:
     * one line in a file is not enough to redirect tokens. The CLI's flags are explicit per run.
     */
    allowCustomEndpoints: z.boolean().default(false),
    tokenStorage: z.enum(["encrypted", "memory"]).default("encrypted"),
    startAtLogin: z.boolean().default(false),
    /** Which planes PIM Tray reads and offers; a plane turned off is never asked. */
    planes: z
      .object({ group: z.boolean().default(true), role: z.boolean().default(true), azure: z.boolean().default(true) })
      .default({ group: true, role: true, azure: true }),
    lastJustification: z.string().trim().max(JUSTIFICATION_MAX).optional(),
    /**
     * "I approve requests": off by default, so PIM Tray reads no approvals until a person says they
     * approve; lastJustification is the approver's last reason, offered again next time.
     */
    approvals: z
      .object({
        enabled: z.boolean().default(false),
        lastJustification: z.string().trim().max(JUSTIFICATION_MAX).optional(),
      })
      .default({ enabled: false }),
    profiles: z.array(profileSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.profiles.forEach((p, i) => {
      const k = p.name.toLowerCase();
      if (seen.has(k))
        ctx.addIssue({
          code: "custom",
          path: ["profiles", i, "name"],
          message: `duplicates the name of profile ${(seen.get(k) ?? 0) + 1}; names must be unique`,
        });
      seen.set(k, i);
    });
  });

export type Settings = z.output<typeof settingsSchema>;
export type Profile = z.output<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ProfileTarget = z.output<typeof targetSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ schemaVersion: CURRENT_SCHEMA_VERSION });
}

/** "profiles[0].targets[1].groupId: must be a group id …" for every issue, so the fix is findable. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.reduce<string>(
        (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
        "",
      );
      return `${path || "(top level)"}: ${i.message}`;
    })
    .join("; ");
}
