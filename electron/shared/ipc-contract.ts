import { z } from "zod";
import { isTenant, TENANT_RULE } from "../engine/config.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../engine/limits.js";

// The one IPC contract between main, preload and renderer. Every channel has a request schema
// (validated in main: the renderer is untrusted) and a response type. The renderer's API type is
// derived from createApi below, never hand-written (gitify's `typeof api` pattern).

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be an id (GUID)");
const accessId = z.enum(["member", "owner"]);
const ticket = z.object({ system: z.string().trim().min(1).max(TICKET_LIMITS.system), number: z.string().trim().min(1).max(TICKET_LIMITS.number) }).strict();
// Measured trimmed, as the engine and the settings schema measure it.
const justification = z.string().trim().max(JUSTIFICATION_MAX, `a justification is at most ${JUSTIFICATION_MAX} characters`);
const none = z.object({}).strict().optional();

export const requests = {
  "app:get-state": none,
  "auth:sign-in": z.object({ method: z.enum(["browser", "device-code"]).optional(), selectAccount: z.boolean().optional() }).strict(),
  "auth:sign-out": none,
  "pim:eligible": z.object({ refresh: z.boolean().optional() }).strict().optional(),
  "pim:activate": z
    .object({
      groupId: guid,
      accessId,
      durationMinutes: z.number().int().min(5).max(24 * 60),
      justification: justification.optional(),
      ticket: ticket.optional(),
      startAt: z.string().datetime({ offset: true }).optional(),
      validateOnly: z.boolean().optional(),
    })
    .strict(),
  "pim:deactivate": z.object({ groupId: guid, accessId }).strict(),
  "pim:cancel": z.object({ requestId: guid }).strict(),
  "profiles:save": z
    .object({
      id: z.string().max(100).optional(),
      name: z.string().max(64),
      targets: z.array(z.object({ groupId: guid, accessId, groupName: z.string().max(256).optional() }).strict()).max(50),
      durationMinutes: z.number().int().min(5).max(24 * 60).optional(),
      justification: justification.optional(),
      ticket: ticket.optional(),
      autoActivate: z.boolean(),
      keepActive: z.object({ enabled: z.boolean(), until: z.string().optional(), maxRenewals: z.number().int().min(1).max(100).optional() }).strict(),
      notifyLeadMinutes: z.array(z.number().int().min(1).max(1440)).max(5).optional(),
    })
    .strict(),
  "profiles:delete": z.object({ id: z.string().min(1).max(100) }).strict(),
  "profiles:reorder": z.object({ ids: z.array(z.string().min(1).max(100)).max(200) }).strict(),
  "profiles:activate": z.object({ id: z.string().min(1).max(100) }).strict(),
  "settings:update": z
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
    })
    .strict(),
  "shell:open-external": z.object({ url: z.string().url().max(2048) }).strict(),
  "app:hide": none,
} as const;

export type Channel = keyof typeof requests;
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]>;

export * from "./ipc-api.js";

/** Validates a payload against its channel's schema: the parsed value, or a plain-language error. */
export function validateRequest<C extends Channel>(channel: C, payload: unknown): { ok: true; value: z.output<(typeof requests)[C]> } | { ok: false; message: string } {
  const schema = requests[channel];
  if (!schema) return { ok: false, message: `Unknown channel '${String(channel)}'.` };
  const r = schema.safeParse(payload);
  if (r.success) return { ok: true, value: r.data as z.output<(typeof requests)[C]> };
  const issue = r.error.issues[0];
  return { ok: false, message: `Invalid request${issue?.path.length ? ` at '${issue.path.join(".")}'` : ""}: ${issue?.message ?? "malformed"}.` };
}

export function isChannel(c: unknown): c is Channel {
  return typeof c === "string" && Object.prototype.hasOwnProperty.call(requests, c);
}
