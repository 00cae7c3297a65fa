import { z } from "zod";
import { faultRuleSchema } from "./faults.js";
import { GraphFault } from "./graph/fault.js";
import { createRequestAs, controlRequestSchema } from "./control-requests.js";
import { serializeRequest } from "./graph/requests.js";
import { type Ctx, sendGraphError, sendJson } from "./http.js";
import { serializeRoleRequest } from "./roles/json.js";
import type { Emulator } from "./server.js";

// The control API: test and demo knobs under /_emulator. Every body is validated; a bad one
// gets Graph's error envelope with a message that names the field.

export const seedSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("demo") }),
  z.object({
    kind: z.literal("large"),
    groups: z.number().int().min(1).max(20_000),
    roles: z.number().int().min(0).max(20_000).optional(),
    azure: z.number().int().min(0).max(20_000).optional(),
    seed: z.number().int().optional(),
  }),
]);

export const settingsPatchSchema = z
  .object({
    provisioningDelayMs: z.number().int().min(0).max(3_600_000),
    provisioningDelayMaxMs: z.number().int().min(0).max(3_600_000).nullable(),
    policyMessageFormat: z.enum(["list", "text"]),
    acrsRequiresCp1: z.boolean(),
    accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400),
    deviceCodeIntervalSeconds: z.number().int().min(0).max(60),
    deviceCodeAutoApprove: z.string().nullable(),
    autoSignIn: z.string().nullable(),
    authorizeOutcome: z.object({ error: z.string().min(1), error_description: z.string().optional() }).nullable(),
    consentNotGrantedFor: z
      .array(z.union([z.literal("*"), z.string().regex(/^[0-9a-f-]{36}$/i, "must be a client id or *")]))
      .max(50),
    consentNotGrantedForArm: z
      .array(z.union([z.literal("*"), z.string().regex(/^[0-9a-f-]{36}$/i, "must be a client id or *")]))
      .max(50),
    armPageSize: z.number().int().min(1).max(1000),
    armRateLimit: z
      .object({
        readBurst: z.number().int().min(1).max(100_000),
        readsPerSecond: z.number().min(0).max(100_000),
        writeBurst: z.number().int().min(1).max(100_000),
        writesPerSecond: z.number().min(0).max(100_000),
      })
      .strict(),
    armApprovalExpiryStatus: z.enum(["TimedOut", "Canceled", "Denied", "Failed"]).nullable(),
    pageSize: z.number().int().min(1).max(999),
    emptyGroupExpansion: z.boolean(),
    denyPolicyRead: z.boolean(),
    roleApprovalExpiryStatus: z.enum(["Canceled", "Denied", "Failed"]).nullable(),
  })
  .partial()
  .strict();

const schemas = {
  reset: z.object({ seed: seedSchema.optional() }).strict(),
  faults: z.object({ rules: z.array(faultRuleSchema).min(1) }).strict(),
  clock: z.object({ advanceMs: z.number().nonnegative() }).strict(),
  decision: z.object({}).strict(),
  user: z.object({ sessionHasMfa: z.boolean() }).partial().strict(),
  deviceCode: z
    .object({ userCode: z.string().min(1), user: z.string().min(1), approve: z.boolean().optional() })
    .strict(),
};

function parseBody<T>(ctx: Ctx, schema: z.ZodType<T>): T {
  let json: unknown = {};
  if (ctx.bodyText.trim()) {
    try {
      json = JSON.parse(ctx.bodyText);
    } catch {
      throw new GraphFault(400, "BadRequest", "The control API takes a JSON body; this one could not be parsed.");
    }
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? ` at '${issue.path.join(".")}'` : "";
    throw new GraphFault(400, "BadRequest", `Invalid control request${where}: ${issue?.message ?? "invalid body"}.`);
  }
  return r.data;
}

export async function handleControl(ctx: Ctx, emu: Emulator, sub: string): Promise<void> {
  try {
    route(ctx, emu, sub.replace(/\/+$/, "") || "/");
  } catch (e) {
    if (e instanceof GraphFault) {
      sendGraphError(ctx, e.httpStatus, e.code, e.message);
      return;
    }
    throw e;
  }
}

function route(ctx: Ctx, emu: Emulator, sub: string): void {
  const now = () => emu.clock.now();
  const key = `${ctx.method} ${sub}`;
  let m: RegExpExecArray | null;

  switch (key) {
    case "GET /":
    case "GET /info":
      return sendJson(ctx, 200, emu.info);
    case "POST /reset": {
      const body = parseBody(ctx, schemas.reset);
      emu.reset(body.seed);
      return sendJson(ctx, 200, emu.info);
    }
    case "GET /settings":
      return sendJson(ctx, 200, emu.settings);
    case "PATCH /settings":
    case "POST /settings": {
      const patch = parseBody(ctx, settingsPatchSchema);
      Object.assign(emu.settings, patch);
      return sendJson(ctx, 200, emu.settings);
    }
    case "GET /faults":
      return sendJson(ctx, 200, { rules: emu.faults.list() });
    case "POST /faults": {
      const body = parseBody(ctx, schemas.faults);
      emu.faults.add(body.rules);
      return sendJson(ctx, 200, { rules: emu.faults.list() });
    }
    case "DELETE /faults":
      emu.faults.clear();
      return sendJson(ctx, 200, { rules: [] });
    case "GET /clock":
      return sendJson(ctx, 200, { now: new Date(now()).toISOString(), offsetMs: emu.clock.offsetMs });
    case "POST /clock": {
      const body = parseBody(ctx, schemas.clock);
      emu.clock.advance(body.advanceMs);
      emu.pim.advance(now());
      return sendJson(ctx, 200, { now: new Date(now()).toISOString(), offsetMs: emu.clock.offsetMs });
    }
    case "GET /requests": {
      const since = Number(ctx.query.get("since") ?? "0");
      return sendJson(ctx, 200, {
        entries: emu.log.since(Number.isFinite(since) ? since : 0),
        lastSeq: emu.log.lastSeq,
      });
    }
    case "DELETE /requests":
      emu.log.clear();
      return sendJson(ctx, 200, { entries: [], lastSeq: emu.log.lastSeq });
    case "GET /pim/requests":
      emu.pim.advance(now());
      return sendJson(ctx, 200, { value: [...emu.pim.requests.values()].map((r) => serializeRequest(r)) });
    case "GET /pim/instances":
      emu.pim.advance(now());
      return sendJson(ctx, 200, {
        value: [...emu.pim.instances.values()].map((i) => ({
          id: i.id,
          groupId: i.groupId,
          principalId: i.principalId,
          accessId: i.accessId,
          startDateTime: new Date(i.startAt).toISOString(),
          endDateTime: new Date(i.endAt).toISOString(),
        })),
      });
    case "GET /devicecodes":
      return sendJson(ctx, 200, { value: emu.identity.pendingDeviceCodes() });
    case "POST /devicecodes": {
      const body = parseBody(ctx, schemas.deviceCode);
      const ok = emu.identity.decideDeviceCode(body.userCode, body.user, body.approve ?? true);
      if (!ok) throw new GraphFault(404, "NotFound", `No pending device code '${body.userCode}' for a known user.`);
      return sendJson(ctx, 200, { ok: true });
    }
  }

  if (key === "POST /pim/requests") {
    return sendJson(ctx, 201, createRequestAs(emu, parseBody(ctx, controlRequestSchema), now()));
  }
  if ((m = /^POST \/pim\/requests\/([^/]+)\/(approve|deny)$/.exec(key))) {
    parseBody(ctx, schemas.decision);
    const r = emu.pim.decide(m[1] ?? "", m[2] === "approve" ? "approve" : "deny", now());
    return sendJson(ctx, 200, serializeRequest(r));
  }
  if ((m = /^POST \/roles\/requests\/([^/]+)\/(approve|deny)$/.exec(key))) {
    parseBody(ctx, schemas.decision);
    const r = emu.roles.decide(m[1] ?? "", m[2] === "approve" ? "approve" : "deny", now());
    return sendJson(ctx, 200, serializeRoleRequest(r));
  }
  if (key === "GET /roles/requests") {
    emu.roles.advance(now());
    return sendJson(ctx, 200, { value: [...emu.roles.requests.values()].map((r) => serializeRoleRequest(r)) });
  }
  if ((m = /^POST \/arm\/requests\/([^/]+)\/(approve|deny)$/.exec(key))) {
    parseBody(ctx, schemas.decision);
    const pending = emu.armState.requests.get((m[1] ?? "").toLowerCase());
    if (pending?.status !== "PendingApproval") {
      throw new GraphFault(404, "NotFound", `No pending ARM request named '${m[1]}'.`);
    }
    const r = emu.armState.decide(m[1] ?? "", m[2] === "approve", now());
    return sendJson(ctx, 200, { name: r.name, scope: r.scope, status: r.status });
  }
  if ((m = /^POST \/users\/([^/]+)$/.exec(key))) {
    const body = parseBody(ctx, schemas.user);
    const user = emu.identity.findUser(m[1] ?? "");
    if (!user) throw new GraphFault(404, "NotFound", `No user '${m[1]}' in the emulated tenant.`);
    if (body.sessionHasMfa !== undefined) user.sessionHasMfa = body.sessionHasMfa;
    return sendJson(ctx, 200, user);
  }
  if ((m = /^POST \/users\/([^/]+)\/revoke-sessions$/.exec(key))) {
    const user = emu.identity.findUser(m[1] ?? "");
    if (!user) throw new GraphFault(404, "NotFound", `No user '${m[1]}' in the emulated tenant.`);
    // Whole seconds, like iat: a token refreshed after the challenge is never caught by it.
    emu.caeRevokedAt.set(user.id, Math.floor(now() / 1000));
    return sendJson(ctx, 200, { revokedAt: new Date(now()).toISOString() });
  }
  throw new GraphFault(404, "NotFound", `No control endpoint '${key}'. See docs/emulator.md for the control API.`);
}
