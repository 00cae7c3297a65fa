import * as z from "zod/mini";
import { isTenant } from "../config.js";
import { JUSTIFICATION_MAX } from "../limits.js";
import { profileSchema } from "../profiles/settings-schema.js";

// Managed policy: every key an organisation may set, in one table. This is the only place a key is defined:
// the ADMX/ADML, the .mobileconfig, the Linux JSON schema and example (scripts/policy-templates.ts), the
// table in docs/deployment.md and `pimtray policy` are all generated from it or checked against it.
//
// Written with zod/mini, as settings-schema.ts is: every `pimtray` command reads policy at its start.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How a key is stored where no JSON exists (the Windows registry) and which ADMX element edits it:
 * boolean (DWORD 0/1, a checkbox policy), decimal (DWORD), text (REG_SZ), enum (REG_SZ, a drop-down),
 * list (a subkey of values named 1, 2, 3… as Group Policy's list element writes them, or one REG_SZ holding a
 * JSON array), json (one REG_SZ holding JSON).
 */
export type PolicyKind = "boolean" | "decimal" | "text" | "enum" | "list" | "json";

interface KeyDefinition<S extends z.core.$ZodType> {
  schema: S;
  kind: PolicyKind;
  /** The policy's name in Group Policy, Intune and docs. */
  title: string;
  /** What it does, for administrators: the ADML explain text, the JSON schema and docs/deployment.md. */
  description: string;
  /** A value for the example files (policy.example.json, the .mobileconfig). */
  example: z.input<S>;
  /** enum: each value with the name Group Policy shows. */
  options?: readonly { value: string; label: string }[];
  /** list: what each item is, so a registry list (always text) is read as numbers where numbers are meant. */
  items?: "string" | "number";
}

const key = <S extends z.core.$ZodType>(d: KeyDefinition<S>): KeyDefinition<S> => d;

const planeNames = ["group", "role", "azure"] as const;

/** A policy profile is a settings profile without its id: PIM Tray names it from the profile's name. */
export const policyProfileSchema = z.omit(profileSchema, { id: true });

export const POLICY_KEYS = {
  Cloud: key({
    schema: z.enum(["global", "usgov", "usgovdod", "china"], {
      message: "must be global, usgov, usgovdod or china",
    }),
    kind: "enum",
    title: "National cloud",
    description:
      "The Microsoft cloud PIM Tray signs in to: global (the worldwide cloud), usgov (GCC High), usgovdod (DoD) or china (operated by 21Vianet).",
    example: "global",
    options: [
      { value: "global", label: "Global (worldwide)" },
      { value: "usgov", label: "US Government (GCC High)" },
      { value: "usgovdod", label: "US Government (DoD)" },
      { value: "china", label: "China (21Vianet)" },
    ],
  }),
  TenantId: key({
    schema: z.string().check(
      z.trim(),
      z.refine(
        (v) => isTenant(v) && v !== "organizations",
        "must be your tenant id (the GUID on Entra ID's overview page) or a verified domain such as contoso.com",
      ),
    ),
    kind: "text",
    title: "Tenant",
    description:
      "Your Entra ID tenant: its id (the GUID on Entra ID's overview page) or a verified domain such as contoso.com. Users sign in to this tenant only.",
    example: "contoso.onmicrosoft.com",
  }),
  ClientId: key({
    schema: z.string().check(z.trim(), z.regex(GUID, "must be an application (client) id, a GUID")),
    kind: "text",
    title: "Application (client) id",
    description:
      "The application (client) id of your organisation's own app registration for PIM Tray. One registration serves all three planes (Microsoft Graph and Azure Resource Manager), so there is no separate Azure client id. Leave unset to use the Microsoft Graph command-line tools' public client.",
    example: "11111111-2222-3333-4444-555555555555",
  }),
  EnabledPlanes: key({
    schema: z
      .array(z.enum(planeNames, { message: "each plane is group, role or azure" }))
      .check(z.minLength(1, "name at least one plane: group, role or azure")),
    kind: "list",
    items: "string",
    title: "Enabled planes",
    description:
      "The PIM planes PIM Tray reads and offers: group (PIM for Groups), role (Entra ID roles), azure (Azure resource roles). A plane left out is turned off and never asked; users cannot turn it back on.",
    example: ["group", "role"],
  }),
  ApprovalsEnabled: key({
    schema: z.boolean({ message: "must be true or false (1 or 0 in the registry)" }),
    kind: "boolean",
    title: "Approver's inbox",
    description:
      'Turns "I approve requests" on (the tray counts the requests waiting for the user\'s approval) or off, and users cannot change it.',
    example: true,
  }),
  DefaultLeadMinutes: key({
    schema: z
      .array(
        z
          .number({ message: "lead times are numbers of minutes" })
          .check(
            z.int("lead times are whole minutes"),
            z.gte(1, "lead times are at least 1 minute"),
            z.lte(24 * 60, "lead times are at most 1440 minutes (a day)"),
          ),
      )
      .check(z.minLength(1, "give at least one lead time"), z.maxLength(5, "at most 5 lead times")),
    kind: "list",
    items: "number",
    title: "Expiry warning lead times",
    description:
      "How many minutes before an activation ends PIM Tray warns, e.g. 15 and 5 (at most 5 values, each 1 to 1440). A profile's own lead times still apply to that profile.",
    example: [15, 5],
  }),
  Profiles: key({
    schema: z.array(policyProfileSchema).check(
      z.superRefine((profiles, ctx) => {
        const seen = new Set<string>();
        profiles.forEach((p, i) => {
          const name = p.name.toLowerCase();
          if (seen.has(name))
            ctx.addIssue({ code: "custom", path: [i, "name"], message: `a second profile is named '${p.name}'` });
          seen.add(name);
        });
      }),
    ),
    kind: "json",
    title: "Pre-defined profiles",
    description:
      "Profiles every user gets, as a JSON array in the same shape as settings.json's profiles (without id). Users see them with a lock and cannot change or remove them; a user's own profile with the same name is hidden (kept in their file).",
    example: [
      {
        name: "Quarter close",
        targets: [{ kind: "group", groupId: "5a2c86b1-7f3e-4a8b-9c1d-2e3f4a5b6c7d", accessId: "member" }],
        duration: "PT4H",
        justification: "Quarter close",
      },
    ],
  }),
  JustificationTemplates: key({
    schema: z
      .array(
        z
          .string()
          .check(
            z.trim(),
            z.minLength(1, "a justification template is empty"),
            z.maxLength(JUSTIFICATION_MAX, `justifications are at most ${JUSTIFICATION_MAX} characters`),
          ),
      )
      .check(z.maxLength(20, "at most 20 justification templates")),
    kind: "list",
    items: "string",
    title: "Justification templates",
    description: `Justifications users can pick when they activate (at most 20, each at most ${JUSTIFICATION_MAX} characters).`,
    example: ["Incident response (INC number in the ticket)", "Planned change (CHG number in the ticket)"],
  }),
  TokenCache: key({
    schema: z.enum(["encrypted", "memory"], { message: "must be encrypted or memory" }),
    kind: "enum",
    title: "Token cache",
    description:
      "Where sign-in tokens are kept: encrypted (the OS key store; the command line keeps a file only the user can read) or memory (never written to disk; users sign in again after each restart, and each `pimtray` command signs in).",
    example: "encrypted",
    options: [
      { value: "encrypted", label: "Encrypted on disk" },
      { value: "memory", label: "Memory only" },
    ],
  }),
  AllowCustomEndpoints: key({
    schema: z.boolean({ message: "must be true or false (1 or 0 in the registry)" }),
    kind: "boolean",
    title: "Allow custom endpoints",
    description:
      "Whether a user may send tokens to a sign-in, Graph or Azure Resource Manager endpoint other than the cloud's own (settings.json or `pimtray --graph-endpoint`). Off: such endpoints are refused everywhere.",
    example: false,
  }),
  UpdateMode: key({
    schema: z.enum(["auto", "manual", "off"], { message: "must be auto, manual or off" }),
    kind: "enum",
    title: "Updates",
    description:
      "auto: download updates in the background and offer a restart; manual: only when the user asks; off: never check for updates (your deployment tool updates PIM Tray).",
    example: "auto",
    options: [
      { value: "auto", label: "Automatic" },
      { value: "manual", label: "When the user asks" },
      { value: "off", label: "Off" },
    ],
  }),
  UpdateFeedUrl: key({
    schema: z.string().check(
      z.trim(),
      z.refine((v) => {
        try {
          return new URL(v).protocol === "https:";
        } catch {
          return false;
        }
      }, "must be a full https:// address"),
    ),
    kind: "text",
    title: "Update feed",
    description:
      "An https:// address of your own update feed (a generic electron-updater feed: latest.yml and the installers), instead of the public releases.",
    example: "https://updates.contoso.com/pimtray/",
  }),
  SupportContact: key({
    schema: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, "the support contact is empty"),
        z.maxLength(500, "the support contact is at most 500 characters"),
      ),
    kind: "text",
    title: "Support contact",
    description:
      "Who users contact for help (e.g. the service desk's address or phone), named wherever a setting is refused because your organisation set it, and by `pimtray policy`.",
    example: "IT service desk: servicedesk@contoso.com, +44 20 7946 0000",
  }),
};

export type PolicyKey = keyof typeof POLICY_KEYS;
export const POLICY_KEY_NAMES = Object.keys(POLICY_KEYS) as PolicyKey[];

/** Each key's value once validated. */
export type PolicyValues = { [K in PolicyKey]: z.output<(typeof POLICY_KEYS)[K]["schema"]> };

/** The whole document (every key optional, unknown keys refused): what the Linux JSON schema is made from. */
export const policySchema = z.strictObject(
  Object.fromEntries(POLICY_KEY_NAMES.map((k) => [k, z.optional(POLICY_KEYS[k].schema)])) as {
    [K in PolicyKey]: z.ZodMiniOptional<(typeof POLICY_KEYS)[K]["schema"]>;
  },
);

/** The key a name means: exact, or differing only in case (registry value names are not case-sensitive). */
export function policyKeyFor(name: string): PolicyKey | null {
  if (Object.hasOwn(POLICY_KEYS, name)) return name as PolicyKey;
  return POLICY_KEY_NAMES.find((k) => k.toLowerCase() === name.toLowerCase()) ?? null;
}

/** "targets[0].groupId: must be a group id" for a value's first issues. */
export function describeValueIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.reduce<string>(
        (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
        "",
      );
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}
