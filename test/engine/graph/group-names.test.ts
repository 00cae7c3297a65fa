import { describe, expect, it } from "vitest";
import type { GraphClient } from "../../../electron/engine/graph/graph-client.js";
import { GroupNames } from "../../../electron/engine/graph/group-names.js";
import { silentLogger } from "../../../electron/engine/logger.js";

/** A Graph double whose /groups answers from `known`, recording each filter asked. */
function groupsDouble(known: Record<string, string>, fail = false) {
  const filters: string[] = [];
  const graph = {
    async list(path: string, query: Record<string, string>) {
      expect(path).toBe("groups");
      filters.push(query.$filter ?? "");
      if (fail) throw new Error("Authorization_RequestDenied");
      return Object.entries(known)
        .filter(([id]) => query.$filter?.includes(`'${id.toLowerCase()}'`))
        .map(([id, displayName]) => ({ id, displayName }));
    },
  } as unknown as GraphClient;
  return { graph, filters };
}

describe("GroupNames", () => {
  it("takes names from the expansion and reuses them when a later expansion comes back empty", async () => {
    const { graph, filters } = groupsDouble({});
    const names = new GroupNames(graph, silentLogger);
    await names.resolve([{ groupId: "G1", group: { displayName: "Ops", description: "d", mailNickname: "ops" } }]);
    const again = await names.resolve([{ groupId: "g1", group: null }]);
    expect(again.get("g1")).toEqual({ name: "Ops", description: "d", mailNickname: "ops" });
    expect(filters).toEqual([]);
  });

  it("asks /groups for unnamed groups, 15 ids at a time, and remembers the answers", async () => {
    const ids = Array.from({ length: 16 }, (_, i) => `g${i}`);
    const { graph, filters } = groupsDouble(Object.fromEntries(ids.map((id) => [id.toUpperCase(), `Name ${id}`])));
    const names = new GroupNames(graph, silentLogger);
    const found = await names.resolve(ids.map((groupId) => ({ groupId })));
    expect(found.get("g15")?.name).toBe("Name g15");
    expect(filters).toHaveLength(2);
    await names.resolve([{ groupId: "g3" }]);
    expect(filters).toHaveLength(2);
  });

  it("leaves groups unnamed when /groups is refused", async () => {
    const { graph, filters } = groupsDouble({}, true);
    const found = await new GroupNames(graph, silentLogger).resolve([{ groupId: "g1" }]);
    expect(found.size).toBe(0);
    expect(filters).toHaveLength(1);
  });
});
