import { formatDuration } from "../duration.js";
import { GraphError, NotFoundError, PolicyError } from "../errors.js";
import { isPending, type ScheduleRequest } from "../graph/pim-client.js";
import type { ActivationContext, ActivationOutcome, Progress, Target } from "./activation-types.js";

// Ending access early: deactivating an active assignment (PIM allows it only 5 minutes after
// activation), and canceling a request still pending.

const FIVE_MINUTES = 5 * 60_000;
/** Tries while waiting out the 5-minute floor (--wait): the floor is passed by the second. */
const FLOOR_ATTEMPTS = 3;

/** selfDeactivate, honouring PIM's 5-minute minimum: wait for it, or say when it passes. */
export async function deactivate(
  ctx: ActivationContext,
  target: Target,
  opts: { wait?: boolean; onProgress?: (p: Progress) => void } = {},
): Promise<ActivationOutcome> {
  const me = await ctx.principal();
  const groupName = target.groupName ?? target.groupId;
  const body = {
    accessId: target.accessId,
    principalId: me.objectId,
    groupId: target.groupId,
    action: "selfDeactivate",
    justification: "Deactivated with PIM Tray",
  };
  const record = (requestId: string | null, status: string, error: string | null) =>
    ctx.record({
      action: "deactivate",
      account: me.username,
      groupId: target.groupId,
      groupName,
      accessId: target.accessId,
      durationMs: null,
      justification: null,
      ticket: null,
      requestId,
      status,
      error,
    });
  for (let attempt = 0; ; attempt++) {
    try {
      const { request } = await ctx.pim.submit(body);
      await record(request.id, request.status, null);
      return {
        groupId: target.groupId,
        groupName,
        accessId: target.accessId,
        status: "deactivated",
        requestId: request.id,
        requestStatus: request.status,
        startDateTime: null,
        endDateTime: new Date(ctx.now()).toISOString(),
        durationMs: null,
        error: null,
      };
    } catch (e) {
      if (e instanceof GraphError && e.code === "RoleAssignmentDoesNotExist") {
        await record(null, "not-active", e.message);
        throw new NotFoundError(`${groupName} (${target.accessId}) is not active, so there is nothing to deactivate.`);
      }
      if (e instanceof GraphError && e.code === "ActiveDurationTooShort") {
        const [active] = await ctx.pim.activeAssignments({ groupId: target.groupId, accessId: target.accessId });
        const possibleAt = active ? Date.parse(active.startDateTime) + FIVE_MINUTES : ctx.now() + FIVE_MINUTES;
        if (opts.wait && attempt < FLOOR_ATTEMPTS) {
          const waitMs = Math.max(1000, possibleAt - ctx.now() + 2000);
          opts.onProgress?.({
            groupName,
            accessId: target.accessId,
            phase: "waiting-floor",
            message: `PIM allows deactivation 5 minutes after activation; waiting ${formatDuration(waitMs)}`,
          });
          await ctx.sleep(waitMs);
          continue;
        }
        await record(null, "too-soon", e.message);
        throw new PolicyError(
          `${groupName} (${target.accessId}) was activated less than 5 minutes ago, and PIM allows deactivation only after 5 minutes. It becomes possible at ${new Date(possibleAt).toISOString()} (in ${formatDuration(possibleAt - ctx.now())}); use --wait to wait for it.`,
          ["ActiveDurationTooShort"],
          { cause: e, details: { possibleAt: new Date(possibleAt).toISOString() } },
        );
      }
      throw e;
    }
  }
}

/** Cancels a request of mine that is still pending (approval, or a scheduled start). */
export async function cancel(ctx: ActivationContext, requestId: string): Promise<void> {
  const me = await ctx.principal();
  let req: ScheduleRequest | null = null;
  try {
    req = await ctx.pim.request(requestId);
  } catch (e) {
    if (e instanceof GraphError && e.status === 404)
      throw new NotFoundError(`No request '${requestId}' of yours was found. List them with \`pimtray status\`.`);
    throw e;
  }
  if (!isPending(req.status)) {
    throw new PolicyError(`Request ${requestId} is ${req.status}; only a pending request can be canceled.`, [
      "NotPending",
    ]);
  }
  await ctx.pim.cancel(requestId);
  await ctx.record({
    action: "cancel",
    account: me.username,
    groupId: req.groupId,
    groupName: req.groupId,
    accessId: req.accessId,
    durationMs: null,
    justification: null,
    ticket: null,
    requestId,
    status: "Canceled",
    error: null,
  });
}
