import { PimTrayError, ServiceError } from "../errors.js";
import { graphBatchGet } from "../graph/graph-batch.js";
import type { GraphClient } from "../graph/graph-client.js";
import { PIM_GROUP_BASE } from "../graph/pim-types.js";
import { toRequest } from "../graph/schedule-requests.js";
import type { Logger } from "../logger.js";
import { MINE, ROLE_REQUESTS } from "./role/role-paths.js";
import { toRoleRequest } from "./role/role-requests.js";
import type { ScheduleRequest } from "./targets.js";

// My requests on both Graph planes (groups and directory roles) in one $batch: the tracker's look when requests
// wait on both (a mixed profile), one round trip instead of two. A batch goes with one token, so this needs a
// client whose token carries both planes' permissions, asked silently (engine.ts gives it, when it does); without
// one, or once that token cannot be had (one plane's consent is missing) or does not reach one plane, each plane is
// read on its own with its own token, as before.

export type GraphKind = "group" | "role";
export const GRAPH_KINDS: readonly GraphKind[] = ["group", "role"];
export type ListAnswer = { ok: true; list: ScheduleRequest[] } | { ok: false; error: unknown };

const PATHS: Record<GraphKind, string> = {
  group: `${PIM_GROUP_BASE}/assignmentScheduleRequests/${MINE}`,
  role: `${ROLE_REQUESTS}/${MINE}`,
};

type RawGroupRequest = Parameters<typeof toRequest>[0];
type RawRoleRequest = Parameters<typeof toRoleRequest>[0];

export class GraphTogether {
  #off = false;

  constructor(
    private readonly graph: GraphClient | undefined,
    /** A plane's list read on its own, with its own token. */
    private readonly alone: (kind: GraphKind) => Promise<ScheduleRequest[]>,
    private readonly logger: Logger,
  ) {}

  /** Whether a look at both Graph planes costs one request. */
  get available(): boolean {
    return Boolean(this.graph) && !this.#off;
  }

  /** My requests on both Graph planes, newest first on each: one $batch, or one read each when it cannot be. */
  async myRequests(): Promise<Map<GraphKind, ListAnswer>> {
    const out = new Map<GraphKind, ListAnswer>();
    const readAlone = async (kind: GraphKind) => {
      try {
        out.set(kind, { ok: true, list: await this.alone(kind) });
      } catch (error) {
        out.set(kind, { ok: false, error });
      }
    };
    const graph = this.graph;
    if (!graph || this.#off) {
      await Promise.all(GRAPH_KINDS.map(readAlone));
      return out;
    }
    let answers: Awaited<ReturnType<typeof graphBatchGet>>;
    try {
      answers = await graphBatchGet(
        graph,
        GRAPH_KINDS.map((kind) => ({ id: kind, path: PATHS[kind] })),
        1,
      );
    } catch (e) {
      this.#turnOffFor(e);
      await Promise.all(GRAPH_KINDS.map(readAlone));
      return out;
    }
    await Promise.all(
      GRAPH_KINDS.map(async (kind) => {
        const answer = answers.get(kind);
        if (!answer?.ok) {
          // Throttled or refused inside the batch: that plane on its own, through the HTTP client's retries.
          if (answer) this.#turnOffFor(answer.error);
          return readAlone(kind);
        }
        try {
          out.set(kind, { ok: true, list: await this.#parse(graph, kind, answer.body) });
        } catch {
          await readAlone(kind);
        }
      }),
    );
    return out;
  }

  /** A failure that says this token cannot read both planes: each plane reads on its own from now on. */
  #turnOffFor(e: unknown): void {
    const denied =
      (e instanceof ServiceError && (e.status === 401 || e.status === 403)) ||
      (e instanceof PimTrayError && (e.kind === "auth" || e.kind === "consent"));
    if (!denied || this.#off) return;
    this.#off = true;
    this.logger.info("the Graph planes' requests are read one plane at a time: no token reads both");
  }

  async #parse(graph: GraphClient, kind: GraphKind, body: unknown): Promise<ScheduleRequest[]> {
    const page = body as { value?: unknown[]; "@odata.nextLink"?: string } | null;
    if (!page || !Array.isArray(page.value)) throw new Error("not a list");
    const next = page["@odata.nextLink"];
    // A long list's further pages, followed on the same client (its origin only, as every list).
    const rest = next ? await graph.list<unknown>(next) : [];
    const raw = [...page.value, ...rest];
    const list: ScheduleRequest[] =
      kind === "group"
        ? raw.map((r) => ({ kind: "group" as const, ...toRequest(r as RawGroupRequest) }))
        : raw.map((r) => toRoleRequest(r as RawRoleRequest));
    return list.sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }
}
