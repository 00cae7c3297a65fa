// Graph's front door: authenticate, advance PIM to now, dispatch to a route group, and turn a
// GraphFault into Graph's error envelope.
import { type Ctx, sendGraphError, sendJson } from "../http.js";
import { sendInjectedStatus } from "../faults.js";
import { handleBatch } from "./batch.js";
import { rejectUnknownOptions } from "../odata.js";
import { authenticate } from "./auth.js";
import { type GraphCall, type GraphDeps, PIM_BASE } from "./common.js";
import { routeGroups, routeMe } from "./directory.js";
import { GraphFault, notFound } from "./fault.js";
import { routePolicies } from "./policies.js";
import { routeGroupApprovals } from "./approvals.js";
import { routeRequests } from "./requests.js";
import { routeScheduleCollection } from "./schedules.js";
import { isDirectoryRolePolicyRequest, ROLES_BASE, routeDirectoryRoles, routeRolePolicies } from "../roles/routes.js";

export class GraphService {
  constructor(private readonly deps: GraphDeps) {}

  /** `rest` is the path after /v1.0/ or /beta/. */
  async handle(ctx: Ctx, rest: string): Promise<void> {
    try {
      rejectUnknownOptions(ctx.query);
      const caller = await authenticate(ctx, this.deps);
      if (!caller) return;
      if (/^\$batch\/?$/i.test(rest)) {
        const version = /^\/(v1\.0|beta)/i.exec(ctx.path)?.[1] ?? "v1.0";
        // Graph runs a batch's requests side by side: the batch answers when its slowest request does.
        let delayMs = 0;
        const responses = await handleBatch(ctx, version, async (inner, innerRest) => {
          const fault = this.deps.innerFault?.(inner.method, inner.path, ctx.path);
          delayMs = Math.max(delayMs, fault?.delayMs ?? 0);
          if (fault?.status) sendInjectedStatus(inner, fault.status, true);
          else await this.handle(inner, innerRest);
        });
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        sendJson(ctx, 200, { responses });
        return;
      }
      const pim = this.deps.pim();
      pim.advance(this.deps.now());
      await route({ ctx, caller, pim, deps: this.deps }, rest);
    } catch (e) {
      if (e instanceof GraphFault) {
        if (e.wrapped) sendGraphError(ctx, e.httpStatus, "UnknownError", e.message);
        else sendGraphError(ctx, e.httpStatus, e.code, e.message);
        return;
      }
      throw e;
    }
  }
}

async function route(call: GraphCall, rest: string): Promise<void> {
  const path = rest.replace(/\/+$/, "");
  const lower = path.toLowerCase();

  if (lower === "me") return routeMe(call);
  if (lower === "groups" || lower.startsWith("groups/")) return routeGroups(call, path);
  if (lower.startsWith("policies/")) {
    const sub = path.slice("policies/".length);
    if (isDirectoryRolePolicyRequest(call, sub)) return routeRolePolicies(call, sub);
    return routePolicies(call, sub);
  }
  const rolesBase = ROLES_BASE.toLowerCase() + "/";
  if (lower.startsWith(rolesBase)) return routeDirectoryRoles(call, path, path.slice(rolesBase.length).split("/"));

  const base = PIM_BASE.toLowerCase() + "/";
  if (!lower.startsWith(base)) throw notFound(path);
  const segments = path.slice(base.length).split("/");
  if ((segments[0] ?? "").toLowerCase() === "assignmentschedulerequests") return routeRequests(call, segments.slice(1));
  if ((segments[0] ?? "").toLowerCase() === "assignmentapprovals") return routeGroupApprovals(call, segments.slice(1));
  return routeScheduleCollection(call, path, segments);
}
