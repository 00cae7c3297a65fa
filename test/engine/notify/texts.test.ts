import { describe, expect, it } from "vitest";
import { clockTime, lineFor, notificationFor } from "../../../electron/engine/notify/texts.js";

const target = { groupId: "g", groupName: "Finance Admins", accessId: "member" as const };
const now = Date.parse("2026-11-27T13:30:00Z");
const end = "2026-11-27T15:42:00Z";

describe("notification texts", () => {
  it("reads at a glance", () => {
    expect(notificationFor({ type: "provisioned", target, requestId: "r", endDateTime: end }, now, "en-GB")).toEqual({
      title: `Finance Admins (member) is active until ${clockTime(end, "en-GB")}`,
      body: "2 h 12 min from now.",
      urgency: "normal",
    });
    expect(
      notificationFor(
        { type: "expiring-soon", target, endDateTime: end, minutesLeft: 10, leadMinutes: 10 },
        Date.parse(end) - 10 * 60_000,
        "en-GB",
      )?.title,
    ).toBe("Finance Admins expires in 10 min");
    expect(notificationFor({ type: "denied", target, requestId: "r" }, now)?.urgency).toBe("critical");
    expect(notificationFor({ type: "submitted", target, requestId: "r", profile: null }, now)).toBeNull();
    expect(lineFor({ type: "submitted", target, requestId: "r1", profile: "Morning" }, now)).toBe(
      "Finance Admins (member): activation submitted (profile Morning), request r1",
    );
  });
});
