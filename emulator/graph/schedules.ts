// The four read-only PIM collections: eligibility and assignment schedules and their instances.
import { createHash } from "node:crypto";
import { formatIsoDuration } from "../duration.js";
import type { AccessId, AssignmentInstance, Eligibility } from "../model.js";
import { matches, parseFilter } from "../odata.js";
import type { PimState } from "../pim.js";
import { sendCollection } from "./collection.js";
import {
  type GraphCall,
  iso,
  parseCurrentUserFunction,
  PIM_BASE,
  READ_ASSIGNMENT,
  READ_ELIGIBILITY,
  requireGroupOrPrincipalFilter,
  requireScope,
} from "./common.js";
import { methodNotAllowed, notFound } from "./fault.js";

type Collection =
  "eligibilitySchedules" | "eligibilityScheduleInstances" | "assignmentSchedules" | "assignmentScheduleInstances";

const COLLECTION_FIELDS: Record<Collection, string[]> = {
  eligibilitySchedules: ["id", "groupId", "principalId", "accessId", "memberType", "status", "createdUsing"],
  eligibilityScheduleInstances: ["id", "groupId", "principalId", "accessId", "memberType", "eligibilityScheduleId"],
  assignmentSchedules: [
    "id",
    "groupId",
    "principalId",
    "accessId",
    "memberType",
    "status",
    "assignmentType",
    "createdUsing",
  ],
  assignmentScheduleInstances: [
    "id",
    "groupId",
    "principalId",
    "accessId",
    "memberType",
    "assignmentType",
    "assignmentScheduleId",
  ],
};

const TYPE_NAMES: Record<Collection, string> = {
  eligibilitySchedules: "microsoft.graph.privilegedAccessGroupEligibilitySchedule",
  eligibilityScheduleInstances: "microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance",
  assignmentSchedules: "microsoft.graph.privilegedAccessGroupAssignmentSchedule",
  assignmentScheduleInstances: "microsoft.graph.privilegedAccessGroupAssignmentScheduleInstance",
};

function eligibilitySchedule(e: Eligibility) {
  return {
    "@odata.type": `#${TYPE_NAMES.eligibilitySchedules}`,
    id: e.id,
    createdDateTime: e.createdDateTime,
    modifiedDateTime: "0001-01-01T08:00:00Z",
    createdUsing: e.id.split("_").pop() ?? e.id,
    status: "Provisioned",
    scheduleInfo: {
      startDateTime: e.startDateTime,
      recurrence: null,
      expiration: e.endDateTime
        ? { type: "afterDateTime", endDateTime: e.endDateTime, duration: null }
        : { type: "noExpiration", endDateTime: null, duration: null },
    },
    principalId: e.principalId,
    accessId: e.accessId,
    groupId: e.groupId,
    memberType: e.memberType,
  };
}

function eligibilityInstance(e: Eligibility) {
  return {
    "@odata.type": `#${TYPE_NAMES.eligibilityScheduleInstances}`,
    // Opaque like Graph's instance ids, and unique per schedule (member and owner of a group differ).
    id: createHash("sha256").update(`${e.id}:instance`).digest("base64url").slice(0, 43),
    startDateTime: e.startDateTime,
    endDateTime: e.endDateTime,
    memberType: e.memberType,
    principalId: e.principalId,
    accessId: e.accessId,
    groupId: e.groupId,
    eligibilityScheduleId: e.id,
  };
}

function assignmentSchedule(i: {
  scheduleId: string;
  requestId: string;
  groupId: string;
  principalId: string;
  accessId: AccessId;
  startAt: number;
  endAt: number;
  status: string;
  createdAt: number;
}) {
  return {
    "@odata.type": `#${TYPE_NAMES.assignmentSchedules}`,
    id: i.scheduleId,
    createdDateTime: iso(i.createdAt),
    modifiedDateTime: iso(i.createdAt),
    createdUsing: i.requestId,
    status: i.status,
    scheduleInfo: {
      startDateTime: iso(i.startAt),
      recurrence: null,
      expiration: { type: "afterDuration", endDateTime: null, duration: formatIsoDuration(i.endAt - i.startAt) },
    },
    principalId: i.principalId,
    accessId: i.accessId,
    groupId: i.groupId,
    memberType: "direct",
    assignmentType: "activated",
  };
}

function assignmentInstance(i: AssignmentInstance) {
  return {
    "@odata.type": `#${TYPE_NAMES.assignmentScheduleInstances}`,
    id: i.id,
    startDateTime: iso(i.startAt),
    endDateTime: iso(i.endAt),
    principalId: i.principalId,
    accessId: i.accessId,
    groupId: i.groupId,
    memberType: "direct",
    assignmentType: "activated",
    assignmentScheduleId: i.scheduleId,
  };
}

function collectionItems(c: Collection, pim: PimState, now: number): Array<Record<string, unknown>> {
  switch (c) {
    case "eligibilitySchedules":
      return pim.currentEligibilities(now).map(eligibilitySchedule);
    case "eligibilityScheduleInstances":
      return pim.currentEligibilities(now).map(eligibilityInstance);
    case "assignmentScheduleInstances":
      return [...pim.instances.values()].filter((i) => i.startAt <= now).map(assignmentInstance);
    case "assignmentSchedules": {
      const out: Array<Record<string, unknown>> = [...pim.instances.values()].map((i) =>
        assignmentSchedule({
          ...i,
          status: "Provisioned",
          createdAt: pim.requests.get(i.requestId)?.createdDateTime ?? i.startAt,
        }),
      );
      for (const r of pim.requests.values()) {
        if (r.action === "selfActivate" && (r.status === "Granted" || r.status === "PendingProvisioning")) {
          out.push(
            assignmentSchedule({
              scheduleId: r.targetScheduleId,
              requestId: r.id,
              groupId: r.groupId,
              principalId: r.principalId,
              accessId: r.accessId,
              startAt: r.startAt,
              endAt: r.startAt + r.durationMs,
              status: "Granted",
              createdAt: r.createdDateTime,
            }),
          );
        }
      }
      return out;
    }
  }
}

/**
 * GET {PIM_BASE}/{collection} and {collection}/filterByCurrentUser(on='principal').
 * `path` is the whole path, for error messages; `segments` come after PIM_BASE.
 */
export function routeScheduleCollection(call: GraphCall, path: string, segments: string[]): void {
  const { ctx, caller, pim, deps } = call;
  const collection = segments[0] ?? "";
  const fn = segments[1] ?? null;
  const known = (Object.keys(COLLECTION_FIELDS) as Collection[]).find(
    (c) => c.toLowerCase() === collection.toLowerCase(),
  );
  if (!known || segments.length > 2) throw notFound(path);
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, known.startsWith("eligibility") ? READ_ELIGIBILITY : READ_ASSIGNMENT);

  let items: Array<Record<string, unknown>> = collectionItems(known, pim, deps.now());
  const clauses = parseFilter(ctx.query.get("$filter"), COLLECTION_FIELDS[known]);
  if (fn !== null) {
    parseCurrentUserFunction(fn, ["principal"]);
    items = items.filter((i) => String(i.principalId).toLowerCase() === caller.oid);
  } else {
    requireGroupOrPrincipalFilter(clauses);
  }
  items = items.filter((i) => matches(i, clauses));
  sendCollection(call, `${PIM_BASE}/${known}`, items, TYPE_NAMES[known]);
}
