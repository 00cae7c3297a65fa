import { formatDuration } from "../duration.js";
import { NotFoundError, PolicyError, ServiceError } from "../errors.js";
import { isPending } from "../graph/pim-client.js";
import { historyTarget } from "../history/history-log.js";
import { fallbackNames, labelOf, refOf, type NamedRef, type ScheduleRequest } from "../planes/targets.js";
import {
  named,
  type ActivationContext,
  type ActivationOutcome,
  type Progress,
  type Target,
} from "./activation-types.js";

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
  const who = named(target);
  const label = labelOf(who);
  const record = (requestId: string | null, status: string, error: string | null) =>
    ctx.record({
      action: "deactivate",
      account: me.username,
      ...historyTarget(who),
      durationMs: null,
      justification: null,
      ticket: null,
      requestId,
      status,
      error,
    });
  for (let attempt = 0; ; attempt++) {
    try {
      const request = await ctx.planes.submit({
        action: "deactivate",
        target: refOf(target),
        principalId: me.objectId,
        justification: "Deactivated with PIM Tray",
      });
      await record(request.id, request.status, null);
      return {
        ...who,
        status: "deactivated",
        requestId: request.id,
        requestStatus: request.status,
        startDateTime: null,
        endDateTime: new Date(ctx.now()).toISOString(),
        durationMs: null,
        error: null,
      };
    } catch (e) {
      if (e instanceof ServiceError && e.code === "RoleAssignmentDoesNotExist") {
        await record(null, "not-active", e.message);
        throw new NotFoundError(`${label} is not active, so there is nothing to deactivate.`);
      }
      if (e instanceof ServiceError && e.code === "ActiveDurationTooShort") {
        const [active] = await ctx.planes.activeAssignments(refOf(target));
        const possibleAt = active ? Date.parse(active.startDateTime) + FIVE_MINUTES : ctx.now() + FIVE_MINUTES;
        if (opts.wait && attempt < FLOOR_ATTEMPTS) {
          const waitMs = Math.max(1000, possibleAt - ctx.now() + 2000);
          opts.onProgress?.({
            ...who,
            phase: "waiting-floor",
            message: `PIM allows deactivation 5 minutes after activation; waiting ${formatDuration(waitMs)}`,
          });
          await ctx.sleep(waitMs);
          continue;
        }
        await record(null, "too-soon", e.message);
        throw new PolicyError(
          `${label} was activated less than 5 minutes ago, and PIM allows deactivation only after 5 minutes. It becomes possible at ${new Date(possibleAt).toISOString()} (in ${formatDuration(possibleAt - ctx.now())}); use --wait to wait for it.`,
          ["ActiveDurationTooShort"],
          { cause: e, details: { possibleAt: new Date(possibleAt).toISOString() } },
        );
      }
      throw e;
    }
  }
}

/** Cancels a request of mine that is still pending (approval, or a scheduled start). */
export async function cancel(ctx: ActivationContext, requestId: string, names?: NamedRef): Promise<void> {
  const me = await ctx.principal();
  let req: ScheduleRequest | null = null;
  try {
    req = await ctx.planes.request(requestId, names?.kind);
  } catch (e) {
    if (e instanceof ServiceError && (e.status === 404 || e.status === 400))
      throw new NotFoundError(`No request '${requestId}' of yours was found. List them with \`pimtray status\`.`);
    throw e;
  }
  if (!isPending(req.status)) {
    throw new PolicyError(`Request ${requestId} is ${req.status}; only a pending request can be canceled.`, [
      "NotPending",
    ]);
  }
  await ctx.planes.cancel(req);
  await ctx.record({
    action: "cancel",
    account: me.username,
    ...historyTarget(names ?? fallbackNames(refOf(req))),
    durationMs: null,
    justification: null,
    ticket: null,
    requestId,
    status: "Canceled",
    error: null,
  });
}
