import * as z from "zod/mini";
import { parseIsoDuration } from "../duration.js";
import { isTenant, TENANT_RULE } from "../config.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../limits.js";

// settings.json: connection, account, notification defaults and profiles, shared by the CLI and
// the tray app. schemaVersion lets later versions migrate it; see settings-store.ts.
//
// Written with zod/mini, zod's functional API: a bundle keeps only the checks used here. Every `pimtray`
// command but --version and --help reads settings.json first, and the classic `zod` API, which cannot be
// tree-shaken, took about 40 ms of CPU to load there (docs/cli.md, "Start-up time"). The rules and messages
// are the ones the classic chains had.

/** 2: profiles hold roles and Azure roles beside groups; planes can be turned off (settings-store.ts migrates 1). */
export const CURRENT_SCHEMA_VERSION = 2;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoDuration = z.string().check(
  z.refine((v) => {
    const ms = parseIsoDuration(v);
    return ms !== null && ms >= 5 * 60_000;
  }, "must be an ISO-8601 duration of at least 5 minutes, such as PT30M or PT2H"),
);

/** A trimmed string of `min` to `max` characters. */
const trimmed = (min: [number, string] | null, max: [number, string] | number) =>
  z
    .string()
    .check(
      z.trim(),
      ...(min ? [z.minLength(min[0], min[1])] : []),
      typeof max === "number" ? z.maxLength(max) : z.maxLength(max[0], max[1]),
    );

const leadMinutes = z.pipe(
  z
    .array(z.number().check(z.int(), z.gte(1, "lead times are whole minutes, at least 1"), z.lte(24 * 60)))
    .check(z.maxLength(5, "at most 5 lead times")),
  z.transform((v: number[]) => [...new Set(v)].sort((a, b) => b - a)),
);

export const ticketSchema = z.object({
  system: trimmed(
    [1, "the ticket system is empty (e.g. ServiceNow)"],
    [TICKET_LIMITS.system, `the ticket system is at most ${TICKET_LIMITS.system} characters`],
  ),
  number: trimmed(
    [1, "the ticket number is empty (e.g. INC0012345)"],
    [TICKET_LIMITS.number, `the ticket number is at most ${TICKET_LIMITS.number} characters`],
  ),
});

const names = {
  roleName: z.optional(z.string().check(z.maxLength(256))),
  scopeName: z.optional(z.string().check(z.maxLength(256))),
};

/**
 * An object schema that also offers classic zod's `.strict()`, for the IPC contract (electron/shared), which
 * builds its requests from these targets with classic zod: the same fields, unknown keys refused.
 */
function withStrict<T extends z.core.$ZodLooseShape>(shape: T) {
  return Object.assign(z.object(shape), { strict: () => z.strictObject(shape) });
}

/** A group target; `kind` may be absent (files from before there were planes). */
export const groupTargetSchema = withStrict({
  kind: z.optional(z.literal("group")),
  groupId: z.pipe(
    z.string().check(z.regex(GUID, "must be a group id (a GUID); find it with `pimtray eligible`")),
    z.transform((v: string) => v.toLowerCase()),
  ),
  accessId: z.enum(["member", "owner"], { message: "must be member or owner" }),
  groupName: z.optional(z.string().check(z.maxLength(256))),
});

/** An Entra ID role at the directory (`/`) or an administrative unit. */
export const roleTargetSchema = withStrict({
  kind: z.literal("role"),
  roleDefinitionId: z
    .string()
    .check(z.regex(GUID, "must be a role definition id (a GUID); find it with `pimtray eligible --kind role --json`")),
  directoryScopeId: z
    .string()
    .check(
      z.regex(
        /^\/(administrativeUnits\/[0-9a-f-]{36})?$/i,
        "must be / (the directory) or /administrativeUnits/{id}; find it with `pimtray eligible --kind role`",
      ),
    ),
  ...names,
});

/** An Azure role at an ARM scope (a management group, subscription, resource group or resource). */
export const azureTargetSchema = withStrict({
  kind: z.literal("azure"),
  roleDefinitionId: z
    .string()
    .check(
      z.regex(
        /^(\/[^/]+\/[^/]+)*\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i,
        "must be a full ARM role definition id (…/providers/Microsoft.Authorization/roleDefinitions/{guid}); find it with `pimtray eligible --kind azure --json`",
      ),
    ),
  scope: z
    .string()
    .check(
      z.maxLength(1024),
      z.regex(
        /^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\/[^/]+(\/.+)?$/i,
        "must be an ARM scope id such as /subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}",
      ),
    ),
  ...names,
});

export const targetSchema = z.union([roleTargetSchema, azureTargetSchema, groupTargetSchema]);

export const keepActiveSchema = z
  .object({
    enabled: z._default(z.boolean(), false),
    /** Stop renewing after this local time of day, "HH:MM". */
    until: z.optional(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day like 18:00"))),
    maxRenewals: z.optional(z.number().check(z.int(), z.gte(1), z.lte(100))),
  })
  .check(
    z.refine((k) => !k.enabled || k.until !== undefined || k.maxRenewals !== undefined, {
      message: "keep-active needs an end: a time of day (until) or a number of renewals (maxRenewals)",
    }),
  );

export const profileSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(
    z.trim(),
    z.minLength(1, "a profile needs a name"),
    z.maxLength(64, "names are at most 64 characters"),
    z.refine((n) => !GUID.test(n), "a profile name must not look like a group id"),
  ),
  targets: z.array(targetSchema).check(z.minLength(1, "a profile needs at least one group or role")),
  duration: z.optional(isoDuration),
  justification: z.optional(
    trimmed(null, [JUSTIFICATION_MAX, `justifications are at most ${JUSTIFICATION_MAX} characters`]),
  ),
  ticket: z.optional(ticketSchema),
  autoActivate: z._default(z.boolean(), false),
  keepActive: z._default(keepActiveSchema, { enabled: false }),
  notifyLeadMinutes: z.optional(leadMinutes),
});

export const settingsSchema = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    connection: z._default(
      z.object({
        cloud: z._default(z.enum(["global", "usgov", "usgovdod", "china"]), "global"),
        tenant: z._default(
          z.string().check(z.trim(), z.refine(isTenant, `the tenant ${TENANT_RULE}`)),
          "organizations",
        ),
        clientId: z.optional(z.string().check(z.regex(GUID, "must be an application (client) id GUID"))),
        authorityHost: z.optional(z.url()),
        graphEndpoint: z.optional(z.url()),
        armEndpoint: z.optional(z.url()),
      }),
      { cloud: "global", tenant: "organizations" },
    ),
    account: z._default(
      z.nullable(
        z.object({
          homeAccountId: z.string(),
          username: z.string(),
          method: z._default(z.enum(["browser", "device-code"]), "browser"),
        }),
      ),
      null,
    ),
    notifications: z._default(z.object({ leadMinutes: z._default(leadMinutes, [10, 2]) }), { leadMinutes: [10, 2] }),
    /**
     * The tray app sends tokens to connection.authorityHost/graphEndpoint only when this is true too:
     * one line in a file is not enough to redirect tokens. The CLI's flags are explicit per run.
     */
    allowCustomEndpoints: z._default(z.boolean(), false),
    tokenStorage: z._default(z.enum(["encrypted", "memory"]), "encrypted"),
    startAtLogin: z._default(z.boolean(), false),
    /** Which planes PIM Tray reads and offers; a plane turned off is never asked. */
    planes: z._default(
      z.object({
        group: z._default(z.boolean(), true),
        role: z._default(z.boolean(), true),
        azure: z._default(z.boolean(), true),
      }),
      { group: true, role: true, azure: true },
    ),
    lastJustification: z.optional(trimmed(null, JUSTIFICATION_MAX)),
    /**
     * "I approve requests": off by default, so PIM Tray reads no approvals until a person says they
     * approve; lastJustification is the approver's last reason, offered again next time.
     */
    approvals: z._default(
      z.object({
        enabled: z._default(z.boolean(), false),
        lastJustification: z.optional(trimmed(null, JUSTIFICATION_MAX)),
      }),
      { enabled: false },
    ),
    profiles: z._default(z.array(profileSchema), []),
  })
  .check(
    z.superRefine((s, ctx) => {
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
    }),
  );

export type Settings = z.output<typeof settingsSchema>;
export type Profile = z.output<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ProfileTarget = z.output<typeof targetSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ schemaVersion: CURRENT_SCHEMA_VERSION });
}

/** "profiles[0].targets[1].groupId: must be a group id …" for every issue, so the fix is findable. */
export function describeIssues(error: z.core.$ZodError): string {
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
