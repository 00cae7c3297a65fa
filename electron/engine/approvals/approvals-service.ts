import { mapLimit } from "../eligible.js";
import { ConflictError, NotFoundError, PimTrayError, PolicyError, ServiceError, UsageError } from "../errors.js";
import type { PolicySummary } from "../graph/policy-summary.js";
import { OutcomeUnknownError } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { PLANE_KINDS, PLANE_LABELS, type PlaneKind, type TargetRef } from "../planes/targets.js";
import { requesterName } from "./approval-facts.js";
import {
  STAGE_WINDOW_MS,
  type ApprovalPlaneStatus,
  type ApprovalStage,
  type ApproverPlane,
  type Decision,
  type DecisionResult,
  type ListedApproval,
  type PendingApproval,
} from "./approval-types.js";

// The approver's inbox across the three planes: what waits for me, and my decisions on it.
// A list is one read per plane; each request seen for the first time costs one read of its stages
// (for the stage's time-out) and, through the planes' policy cache, its policy. A decision re-reads
// the approval first, so a request someone else decided meanwhile is reported, never decided twice.

/**
 * The APIs behind each plane's approvals, named in failures so people know which plane, and which API
 * version, is affected: the list of what waits, and the approval read and decision.
 */
export const APPROVAL_APIS: Record<PlaneKind, { list: string; decide: string }> = {
  group: { list: "Graph v1.0 assignmentScheduleRequests", decide: "Graph v1.0 assignmentApprovals" },
  role: { list: "Graph v1.0 roleAssignmentScheduleRequests", decide: "Graph beta roleAssignmentApprovals" },
  azure: {
    list: "ARM roleAssignmentScheduleRequests 2020-10-01",
    decide: "ARM roleAssignmentApprovals 2021-01-01-preview",
  },
};

type Api = keyof (typeof APPROVAL_APIS)[PlaneKind];

export interface ApprovalsOptions {
  planes: Record<PlaneKind, ApproverPlane>;
  /** Which planes' approvals to read: the planes that are on, while "I approve requests" is on. */
  enabled: () => Promise<Record<PlaneKind, boolean>>;
  /** A target's policy (cached by the planes), for whether approvers must give a reason. */
  policy: (t: TargetRef) => Promise<PolicySummary>;
  logger: Logger;
  now?: () => number;
  /** Planes that cannot be used with this connection (no ARM endpoint). */
  unavailable?: Partial<Record<PlaneKind, string>>;
}

interface Details {
  expiresAt: string;
  stage: { index: number; count: number };
  justificationRequired: boolean;
}

const key = (kind: PlaneKind, requestId: string) => `${kind}:${requestId.toLowerCase()}`;
const verb = (d: Decision) => (d === "Approve" ? "approved" : "denied");

export class ApprovalsService {
  readonly #o: ApprovalsOptions;
  readonly #now: () => number;
  #items: PendingApproval[] = [];
  readonly #details = new Map<string, Details>();
  /** Decisions made here: a second one on the same request is refused without a request. */
  readonly #decided = new Map<string, { decision: Decision; at: number }>();
  readonly #status = new Map<PlaneKind, ApprovalPlaneStatus>();
  #listing: Promise<PendingApproval[]> | null = null;
  /** Decisions being sent, by request id: a second one at the same moment (popup and notification) is refused. */
  readonly #sending = new Set<string>();

  constructor(o: ApprovalsOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    for (const kind of PLANE_KINDS) this.#status.set(kind, { kind, state: "not-tried", note: null, count: null });
  }

  /** What the last list found (no request). */
  get items(): readonly PendingApproval[] {
    return this.#items;
  }

  status(): ApprovalPlaneStatus[] {
    return PLANE_KINDS.map((k) => this.#status.get(k) as ApprovalPlaneStatus); // set for every kind in the constructor
  }

  /**
   * Everything that waits for me on the enabled planes, oldest first. A plane that fails is reported in
   * status() and left out; this throws only when every enabled plane failed. Concurrent callers share a read.
   */
  list(): Promise<PendingApproval[]> {
    this.#listing ??= this.#list().finally(() => {
      this.#listing = null;
    });
    return this.#listing;
  }

  async #list(): Promise<PendingApproval[]> {
    const enabled = await this.#o.enabled();
    const kinds = PLANE_KINDS.filter((k) => enabled[k] && !this.#o.unavailable?.[k]);
    for (const k of PLANE_KINDS) {
      if (!kinds.includes(k)) this.#status.set(k, { kind: k, state: "off", note: null, count: null });
    }
    const results = await Promise.allSettled(kinds.map((k) => this.#o.planes[k].pending()));
    const listed: ListedApproval[] = [];
    let firstError: unknown = null;
    results.forEach((r, i) => {
      const kind = kinds[i] as PlaneKind; // results are in the order of kinds
      if (r.status === "fulfilled") {
        this.#status.set(kind, { kind, state: "ok", note: null, count: r.value.length });
        listed.push(...r.value.filter((a) => !this.#decided.has(key(a.kind, a.requestId))));
      } else {
        firstError ??= r.reason;
        const note = failureNote(kind, r.reason, "list");
        this.#status.set(kind, { kind, state: "error", note, count: null });
        this.#o.logger.warn(`approvals: ${note}`, r.reason);
      }
    });
    if (kinds.length && results.every((r) => r.status === "rejected")) {
      throw wrapFailure(kinds[0] as PlaneKind, firstError, "list"); // kinds is not empty here
    }
    const live = new Set(listed.map((a) => key(a.kind, a.requestId)));
    for (const k of [...this.#details.keys()]) if (!live.has(k)) this.#details.delete(k);
    const items = await mapLimit(listed, 4, async (a) => ({ ...a, ...(await this.#detailsOf(a)) }));
    this.#items = items.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
    return this.#items;
  }

  async #detailsOf(a: ListedApproval): Promise<Details> {
    const k = key(a.kind, a.requestId);
    const known = this.#details.get(k);
    if (known) return known;
    const [stages, policy] = await Promise.all([
      this.#o.planes[a.kind].stages(a.approvalId).catch((e: unknown) => {
        this.#o.logger.warn(`approvals: could not read the stages of ${a.kind} request ${a.requestId}`, e);
        return null;
      }),
      this.#o.policy(a.target).catch(() => null),
    ]);
    const d: Details = {
      ...stageTiming(a.createdDateTime, stages),
      // PIM's default asks approvers for a reason; a policy we could not read is assumed to as well.
      justificationRequired: policy?.approverJustificationRequired ?? true,
    };
    if (stages) this.#details.set(k, d);
    return d;
  }

  /** The item a request id names, from the last list or, failing that, a fresh one. */
  async find(requestId: string, kind?: PlaneKind): Promise<PendingApproval | null> {
    const match = (a: PendingApproval) =>
      (!kind || a.kind === kind) &&
      (a.requestId.toLowerCase() === requestId.toLowerCase() || a.approvalId.toLowerCase() === requestId.toLowerCase());
    return this.#items.find(match) ?? (await this.list()).find(match) ?? null;
  }

  /**
   * Approves or denies one request. Refuses, with nothing sent, a request decided already (here, or by
   * another approver: the approval is re-read first), one that is not waiting for me, and a missing
   * justification where the policy asks for one.
   */
  async decide(
    requestId: string,
    decision: Decision,
    justification: string,
    o: { kind?: PlaneKind } = {},
  ): Promise<DecisionResult> {
    const id = requestId.trim();
    if (!id) throw new UsageError("Give the request id that `pimtray approvals` shows.");
    const busy = id.toLowerCase();
    if (this.#sending.has(busy)) {
      throw new ConflictError(`A decision on request ${id} is being sent already. Nothing was sent twice.`, {
        details: { requestId: id },
      });
    }
    this.#sending.add(busy);
    try {
      return await this.#decide(id, decision, justification, o);
    } finally {
      this.#sending.delete(busy);
    }
  }

  async #decide(
    id: string,
    decision: Decision,
    justification: string,
    o: { kind?: PlaneKind },
  ): Promise<DecisionResult> {
    const reason = justification.trim();
    for (const k of o.kind ? [o.kind] : PLANE_KINDS) {
      const mine = this.#decided.get(key(k, id));
      if (mine) {
        throw new ConflictError(
          `You already ${verb(mine.decision)} request ${id} at ${clock(mine.at)}. Nothing was sent again.`,
          { details: { requestId: id, decision: mine.decision } },
        );
      }
    }
    const item = await this.find(id, o.kind);
    if (!item) throw await this.#notWaiting(id, o.kind);
    if (item.justificationRequired && !reason) {
      throw new UsageError(
        `A justification is required to ${decision === "Approve" ? "approve" : "deny"} ${item.label} for ${requesterName(item)}: its policy asks approvers for one.`,
      );
    }
    const plane = this.#o.planes[item.kind];
    const stages = await plane.stages(item.approvalId).catch((e: unknown) => {
      throw wrapFailure(item.kind, e, "decide");
    });
    const stage = stages.find((s) => s.status === "InProgress" && s.assignedToMe);
    if (!stage) throw this.#settled(item, stages);
    try {
      await plane.decide(item.approvalId, stage.id, decision, reason);
    } catch (e) {
      if (e instanceof OutcomeUnknownError) {
        // The PATCH may have landed: the stage says whether it did, and it is never sent twice.
        const after = await plane.stages(item.approvalId).catch(() => []);
        const same = after.find((s) => s.id === stage.id);
        if (!same || same.status !== "Completed" || same.reviewResult.toLowerCase() !== decision.toLowerCase()) {
          throw e;
        }
      } else if (e instanceof ServiceError && e.status === 409) {
        throw this.#settled(item, await plane.stages(item.approvalId).catch(() => []), e);
      } else if (e instanceof ServiceError && e.status === 403) {
        throw new PolicyError(
          `PIM refused your decision on ${item.label}: you are not an approver of its open stage, or it is your own request (${APPROVAL_APIS[item.kind].decide}).`,
          ["ApproverRule"],
          { cause: e },
        );
      } else {
        throw wrapFailure(item.kind, e, "decide");
      }
    }
    this.#decided.set(key(item.kind, item.requestId), { decision, at: this.#now() });
    this.#items = this.#items.filter((a) => a !== item);
    this.#details.delete(key(item.kind, item.requestId));
    this.#o.logger.info(
      `approvals: ${verb(decision)} ${item.kind} request ${item.requestId} (${item.label}, stage ${item.stage.index} of ${item.stage.count})`,
    );
    const requestStatus =
      (await plane.requestStatus(item.requestId).catch(() => null)) ?? impliedStatus(item, decision);
    return { item, decision, requestStatus };
  }

  /** Why a request that has no open stage for me cannot be decided, in plain words. */
  #settled(item: PendingApproval, stages: ApprovalStage[], cause?: unknown): PimTrayError {
    const decided = [...stages].reverse().find((s) => s.status === "Completed" && s.reviewResult !== "NotReviewed");
    const details = { requestId: item.requestId, plane: item.kind };
    this.#items = this.#items.filter((a) => a !== item);
    if (decided) {
      const who = decided.reviewedBy ?? "another approver";
      const when = decided.reviewedDateTime ? ` at ${clock(Date.parse(decided.reviewedDateTime))}` : "";
      const what = /^deny|denied$/i.test(decided.reviewResult) ? "denied" : "approved";
      return new ConflictError(
        `${item.label} for ${requesterName(item)} was already ${what} by ${who}${when}. Nothing was sent.`,
        { cause, details },
      );
    }
    if (stages.some((s) => s.status === "Expired")) {
      return new ConflictError(
        `The approval of ${item.label} for ${requesterName(item)} timed out; the requester must ask again. Nothing was sent.`,
        { cause, details },
      );
    }
    return new ConflictError(
      `${item.label} for ${requesterName(item)} no longer waits for you (it was decided, cancelled, or its open stage is another approver's). Nothing was sent.`,
      { cause, details },
    );
  }

  /** A request id that is not in my inbox: say what became of it where the plane can tell. */
  async #notWaiting(id: string, kind: PlaneKind | undefined): Promise<PimTrayError> {
    const details = { requestId: id };
    for (const k of kind ? [kind] : (["group", "role"] as const)) {
      const status = await this.#o.planes[k].requestStatus(id).catch(() => null);
      if (status === null) continue;
      if (status === "PendingApproval") {
        return new NotFoundError(
          `Request ${id} waits for approval, but not from you: you are not an approver of its open stage, or it is your own request.`,
          details,
        );
      }
      return new ConflictError(`Request ${id} no longer waits for approval (it is ${status}). Nothing was sent.`, {
        details: { ...details, status },
      });
    }
    return new NotFoundError(
      `No request ${id} waits for your approval. It may have been decided or cancelled already; run \`pimtray approvals\` to see what waits.`,
      details,
    );
  }
}

/** Which stage waits for me, and when it times out: 24 h after it opened (the request, or the previous decision). */
export function stageTiming(
  createdDateTime: string,
  stages: ApprovalStage[] | null,
): Omit<Details, "justificationRequired"> {
  const created = Date.parse(createdDateTime);
  if (!stages?.length)
    return { expiresAt: new Date(created + STAGE_WINDOW_MS).toISOString(), stage: { index: 1, count: 1 } };
  let i = stages.findIndex((s) => s.status === "InProgress" && s.assignedToMe);
  if (i < 0)
    i = Math.max(
      0,
      stages.findIndex((s) => s.status === "InProgress"),
    );
  const opened = Math.max(
    created,
    ...stages.slice(0, i).map((s) => (s.reviewedDateTime ? Date.parse(s.reviewedDateTime) : created)),
  );
  return { expiresAt: new Date(opened + STAGE_WINDOW_MS).toISOString(), stage: { index: i + 1, count: stages.length } };
}

/**
 * What a decision makes of the request where the plane cannot be asked (ARM lists only pending requests
 * to an approver): a Deny settles it; an Approve before the last stage leaves it waiting for the next.
 * After the last stage it is being provisioned, which only the requester's plane reports: null.
 */
function impliedStatus(item: PendingApproval, decision: Decision): string | null {
  if (decision === "Deny") return "Denied";
  return item.stage.index < item.stage.count ? "PendingApproval" : null;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16) + " UTC";
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "Entra ID roles: approvals unavailable (Graph beta roleAssignmentApprovals): …". */
export function failureNote(kind: PlaneKind, e: unknown, api: Api): string {
  return `${PLANE_LABELS[kind].many}: approvals unavailable (${APPROVAL_APIS[kind][api]}): ${message(e).split("\n")[0] ?? ""}`;
}

/** A failure of a plane's approval API, keeping its kind (and exit code) and naming the plane and API. */
function wrapFailure(kind: PlaneKind, e: unknown, api: Api): PimTrayError {
  if (e instanceof PimTrayError && (e.kind === "auth" || e.kind === "consent" || e.kind === "usage")) return e;
  return new PimTrayError(e instanceof PimTrayError ? e.kind : "server", failureNote(kind, e, api), {
    cause: e,
    details: { plane: kind, api: APPROVAL_APIS[kind][api] },
  });
}
