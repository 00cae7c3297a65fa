// PIM handlers against recording doubles: which group name an activation carries, when the
// eligibility list is read again, what is remembered, and what the lifecycle is told.
import { describe, expect, it } from "vitest";
import { pimHandlers } from "../../../electron/app/handlers/pim.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import { contextOf, engineDouble, eligibility, lifecycleDouble } from "../app-doubles.js";
import { G1, G2 } from "../app-state.js";

function setUp(eligible = [eligibility(G1, "Finance Admins"), eligibility(G2, "Tenant Admins", "owner")]) {
  const e = engineDouble(eligible);
  const l = lifecycleDouble();
  return { e, l, ctx: contextOf({ engine: e.engine, lifecycle: l.lifecycle }) };
}

describe("pim handlers", () => {
  it("lists eligibilities with their policies in minutes", async () => {
    const { ctx } = setUp();
    const list = await pimHandlers["pim:eligible"]({}, ctx);
    expect(list.map((v) => [v.groupName, v.accessId, v.policy.maxMinutes])).toEqual([
      ["Finance Admins", "member", 480],
      ["Tenant Admins", "owner", 480],
    ]);
  });

  it("activates with the name from the list the popup loaded, without reading it again", async () => {
    const { e, l, ctx } = setUp();
    await pimHandlers["pim:eligible"](undefined, ctx);
    const out = await pimHandlers["pim:activate"](
      { groupId: G1.toUpperCase(), accessId: "member", durationMinutes: 90, justification: "month end" },
      ctx,
    );
    expect(e.calls.eligibilities).toHaveBeenCalledTimes(1);
    expect(e.calls.activate).toHaveBeenCalledWith(
      {
        target: { groupId: G1, accessId: "member", groupName: "Finance Admins" },
        durationMs: 90 * 60_000,
        justification: "month end",
      },
      { waitFor: "provisioned", timeoutMs: 60_000 },
    );
    expect(e.calls.rememberJustification).toHaveBeenCalledWith("month end");
    expect(l.calls.refresh).toHaveBeenCalledWith("activated");
    expect(out).toMatchObject({ groupId: G1, groupName: "Finance Admins", status: "active", error: null });
  });

  it("reads the list again for a group it has not seen, and refuses one the person is not eligible for", async () => {
    const { e, ctx } = setUp();
    await pimHandlers["pim:activate"]({ groupId: G2, accessId: "owner", durationMinutes: 60 }, ctx);
    expect(e.calls.eligibilities).toHaveBeenCalledTimes(1);
    const refused = pimHandlers["pim:activate"]({ groupId: G2, accessId: "member", durationMinutes: 60 }, ctx);
    await expect(refused).rejects.toThrow(
      new PimTrayError("not-found", "You are not eligible for that group any more. Refresh the list."),
    );
    expect(e.calls.eligibilities).toHaveBeenCalledTimes(2);
    expect(e.calls.activate).toHaveBeenCalledTimes(1);
  });

  it("leaves a blank justification out, and remembers none when only validating", async () => {
    const { e, ctx } = setUp();
    await pimHandlers["pim:activate"](
      {
        groupId: G1,
        accessId: "member",
        durationMinutes: 60,
        justification: "",
        validateOnly: true,
        ticket: { system: "SN", number: "42" },
      },
      ctx,
    );
    expect(e.calls.activate.mock.calls[0]?.[0]).toEqual({
      target: { groupId: G1, accessId: "member", groupName: "Finance Admins" },
      durationMs: 3600_000,
      ticket: { system: "SN", number: "42" },
      validateOnly: true,
    });
    expect(e.calls.rememberJustification).not.toHaveBeenCalled();
  });

  it("deactivates with the name the picture knows (or the id), then refreshes", async () => {
    const e = engineDouble();
    const l = lifecycleDouble({
      active: [
        {
          groupId: G1,
          groupName: "Finance Admins",
          accessId: "member",
          startDateTime: "2026-11-27T12:00:00Z",
          endDateTime: null,
          assignmentType: "activated",
          groupDescription: null,
          groupMailNickname: null,
        },
      ],
    });
    const ctx = contextOf({ engine: e.engine, lifecycle: l.lifecycle });
    await pimHandlers["pim:deactivate"]({ groupId: G1.toUpperCase(), accessId: "member" }, ctx);
    await pimHandlers["pim:deactivate"]({ groupId: G2, accessId: "member" }, ctx);
    expect(e.calls.deactivate.mock.calls.map((c) => c[0])).toEqual([
      { groupId: G1, accessId: "member", groupName: "Finance Admins" },
      { groupId: G2, accessId: "member", groupName: G2 },
    ]);
    expect(l.calls.refresh).toHaveBeenCalledWith("deactivated");
  });

  it("cancels a request and answers with the state after the refresh", async () => {
    const { e, l, ctx } = setUp();
    const s = await pimHandlers["pim:cancel"]({ requestId: G2 }, ctx);
    expect(e.calls.cancel).toHaveBeenCalledWith(G2);
    expect(l.calls.refresh).toHaveBeenCalledWith("canceled");
    expect(s.needsSignIn).toBe(true);
  });
});
