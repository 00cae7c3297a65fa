import { describe, expect, it } from "vitest";
import { GraphError } from "../../../electron/engine/errors.js";
import type { GraphClient, GraphRequest } from "../../../electron/engine/graph/graph-client.js";
import { PolicyReader } from "../../../electron/engine/graph/policy-reader.js";
import { UNKNOWN_POLICY } from "../../../electron/engine/graph/policy-summary.js";
import { silentLogger } from "../../../electron/engine/logger.js";

const RULES = [{ id: "Expiration_EndUser_Assignment", maximumDuration: "PT2H" }];

/** A Graph double answering every policy read with `answer`, and counting the reads. */
function graphDouble(answer: () => unknown) {
  const reads: GraphRequest[] = [];
  const graph = {
    async request(req: GraphRequest) {
      reads.push(req);
      return { body: answer(), token: "t" };
    },
  } as unknown as GraphClient;
  return { graph, reads };
}

describe("PolicyReader", () => {
  it("keeps a policy for the TTL, keyed by lower-case group and access, then reads it again", async () => {
    let now = 1_000;
    const { graph, reads } = graphDouble(() => ({ value: [{ policy: { rules: RULES } }] }));
    const reader = new PolicyReader(graph, silentLogger, 60_000, () => now);
    expect((await reader.policy("ABC", "member")).maxDuration).toBe("PT2H");
    now += 59_999;
    await reader.policy("abc", "member");
    expect(reads).toHaveLength(1);
    await reader.policy("abc", "owner");
    expect(reads).toHaveLength(2);
    now += 1;
    await reader.policy("abc", "member");
    expect(reads).toHaveLength(3);
  });

  it("reads again after invalidate", async () => {
    const { graph, reads } = graphDouble(() => ({ value: [{ policy: { rules: RULES } }] }));
    const reader = new PolicyReader(graph, silentLogger, 60_000, () => 0);
    await reader.policy("g", "member");
    reader.invalidate();
    await reader.policy("g", "member");
    expect(reads).toHaveLength(2);
  });

  it("gives UNKNOWN_POLICY when no policy comes back or the read is refused, and caches that too", async () => {
    const empty = graphDouble(() => ({ value: [] }));
    expect(await new PolicyReader(empty.graph, silentLogger, 60_000, () => 0).policy("g", "member")).toBe(
      UNKNOWN_POLICY,
    );
    for (const status of [400, 403, 404]) {
      const refused = graphDouble(() => {
        throw new GraphError(status, "Forbidden", "no", null);
      });
      const reader = new PolicyReader(refused.graph, silentLogger, 60_000, () => 0);
      expect(await reader.policy("g", "member")).toBe(UNKNOWN_POLICY);
      await reader.policy("g", "member");
      expect(refused.reads).toHaveLength(1);
    }
  });

  it("lets other failures through", async () => {
    const { graph } = graphDouble(() => {
      throw new GraphError(500, "InternalServerError", "boom", null);
    });
    await expect(new PolicyReader(graph, silentLogger, 60_000, () => 0).policy("g", "member")).rejects.toThrow(
      GraphError,
    );
  });
});
