// Profile handlers over the real ProfileService and in-memory settings.json.
import { describe, expect, it } from "vitest";
import { profileHandlers } from "../../../electron/app/handlers/profiles.js";
import { contextOf, engineDouble, lifecycleDouble } from "../app-doubles.js";
import { G1, G2 } from "../app-state.js";

function setUp() {
  const e = engineDouble();
  const l = lifecycleDouble();
  return { e, l, ctx: contextOf({ engine: e.engine, lifecycle: l.lifecycle }) };
}

const base = {
  targets: [{ groupId: G1, accessId: "member" as const, groupName: "Finance Admins" }],
  autoActivate: false,
  keepActive: { enabled: false },
};

describe("profile handlers", () => {
  it("adds a profile, then an edit clears what the form cleared", async () => {
    const { e, ctx } = setUp();
    const added = await profileHandlers["profiles:save"](
      { ...base, name: "Month end", durationMinutes: 90, justification: "closing", notifyLeadMinutes: [15] },
      ctx,
    );
    expect(added).toMatchObject({
      name: "Month end",
      durationMinutes: 90,
      justification: "closing",
      notifyLeadMinutes: [15],
      ticket: null,
    });
    expect(e.settings.current.profiles[0]?.duration).toBe("PT1H30M");
    const edited = await profileHandlers["profiles:save"](
      { ...base, id: added.id, name: "Month end", justification: "   ", notifyLeadMinutes: [] },
      ctx,
    );
    expect(edited).toMatchObject({ id: added.id, durationMinutes: null, justification: null, notifyLeadMinutes: null });
    expect(e.settings.current.profiles).toHaveLength(1);
  });

  it("reorders by the ids given; profiles not named keep their place after them", async () => {
    const { e, ctx } = setUp();
    const ids: string[] = [];
    for (const name of ["A", "B", "C"]) ids.push((await profileHandlers["profiles:save"]({ ...base, name }, ctx)).id);
    const s = await profileHandlers["profiles:reorder"]({ ids: [ids[2] ?? "", "gone", ids[0] ?? ""] }, ctx);
    expect(s.profiles.map((p) => p.name)).toEqual(["C", "A", "B"]);
    expect(e.settings.current.profiles.map((p) => p.name)).toEqual(["C", "A", "B"]);
  });

  it("deletes a profile and activates one through the lifecycle, answering an outcome per target", async () => {
    const { l, ctx } = setUp();
    const two = await profileHandlers["profiles:save"](
      { ...base, name: "Both", targets: [...base.targets, { groupId: G2, accessId: "member" }] },
      ctx,
    );
    const outcomes = await profileHandlers["profiles:activate"]({ id: two.id }, ctx);
    expect(l.calls.activateProfile.mock.calls[0]?.[1]).toEqual({ reason: "from the popup" });
    expect(outcomes.map((o) => [o.groupId, o.groupName, o.status])).toEqual([
      [G1, "Finance Admins", "active"],
      [G2, G2, "active"],
    ]);
    const s = await profileHandlers["profiles:delete"]({ id: two.id }, ctx);
    expect(s.profiles).toEqual([]);
  });
});
