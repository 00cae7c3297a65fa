// What Graph's two self-service request collections (PIM for Groups' assignmentScheduleRequests and
// directory roles' roleAssignmentScheduleRequests) share: reading the JSON payload, the action enum
// and its self-service subset, the payload error texts, and the scheduleInfo they answer with.
import type { z } from "zod";
import type { Ctx } from "../http.js";
import type { RequestCore } from "../model.js";
import { iso } from "./common.js";
import { GraphFault } from "./fault.js";

/** unifiedRoleScheduleRequestActions (and Graph's groups equivalent), without unknownFutureValue. */
export const SCHEDULE_REQUEST_ACTIONS = [
  "adminAssign",
  "adminUpdate",
  "adminRemove",
  "selfActivate",
  "selfDeactivate",
  "adminExtend",
  "adminRenew",
  "selfExtend",
  "selfRenew",
];

/** The JSON body, or Graph's BadRequest when it is not JSON (or not declared as JSON). */
export function readJsonPayload(ctx: Ctx): unknown {
  try {
    if (!(ctx.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) throw new Error("type");
    return JSON.parse(ctx.bodyText);
  } catch {
    throw new GraphFault(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
}

/** Graph's words for the first problem zod found in a request body of type `typeName`. */
export function payloadProblem(err: z.ZodError, typeName: string): string {
  const issue = err.issues[0];
  if (!issue) return "The request body is invalid.";
  if (issue.code === "unrecognized_keys") {
    return `The property '${issue.keys[0] ?? ""}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type.`;
  }
  const path = issue.path.join(".");
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `The request is missing the required property '${path}'.`;
  }
  return `Invalid value for property '${path}': ${issue.message}`;
}

/** The action in Graph's casing; anything but selfActivate and selfDeactivate needs an administrator (403). */
export function selfServiceAction(raw: string): "selfActivate" | "selfDeactivate" {
  const action = SCHEDULE_REQUEST_ACTIONS.find((a) => a.toLowerCase() === raw.toLowerCase()) ?? raw;
  if (action === "selfActivate" || action === "selfDeactivate") return action;
  throw new GraphFault(
    403,
    "AuthorizationFailed",
    JSON.stringify({
      errorCode: "AuthorizationFailed",
      message: `The action '${action}' requires an administrator role; self-service requests use selfActivate or selfDeactivate.`,
      instanceAnnotations: [],
    }),
    true,
  );
}

/** A request's scheduleInfo as Graph writes it: an activation's window; null for a deactivation. */
export function scheduleInfoJson(r: RequestCore): Record<string, unknown> | null {
  if (r.action !== "selfActivate") return null;
  return {
    startDateTime: iso(r.startAt),
    recurrence: null,
    expiration: {
      type: r.expiration.type,
      endDateTime: r.expiration.type === "afterDateTime" ? iso(r.startAt + r.durationMs) : null,
      duration: r.expiration.type === "afterDuration" ? r.expiration.duration : null,
    },
  };
}
