// Notification texts for roles and Azure roles: the planes' labels, and groups' texts unchanged.
import { describe, expect, it } from "vitest";
import type { EventTarget } from "../../../electron/engine/lifecycle/events.js";
import { notificationId } from "../../../electron/engine/notify/route.js";
import { clockTime, lineFor, notificationFor } from "../../../electron/engine/notify/texts.js";

const now = Date.parse("2026-11-27T13:30:00Z");
const end = "2026-11-27T15:42:00Z";
const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111";
const reader: EventTarget = {
  kind: "role",
  roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  directoryScopeId: "/",
  roleName: "Global Reader",
  scopeName: "Directory",
};
const helpdesk: EventTarget = {
  kind: "role",
  roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  directoryScopeId: "/administrativeUnits/a",
  roleName: "Helpdesk Administrator",
  scopeName: "Sales",
};
const contributor: EventTarget = {
  kind: "azure",
  roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
  scope: `${SUB}/resourceGroups/rg-web`,
  roleName: "Contributor",
  scopeName: "rg-web",
};
const finance: EventTarget = { groupId: "g", groupName: "Finance Admins", accessId: "member" };

describe("notification texts on the role and Azure planes", () => {
  it("a role reads by its name, at an AU or an Azure scope with it", () => {
    const at = clockTime(end, "en-GB");
    const provisioned = (target: EventTarget) =>
      notificationFor({ type: "provisioned", target, requestId: "r", endDateTime: end }, now, "en-GB")?.title;
    expect(provisioned(reader)).toBe(`Global Reader is active until ${at}`);
    expect(provisioned(helpdesk)).toBe(`Helpdesk Administrator on Sales is active until ${at}`);
    expect(provisioned(contributor)).toBe(`Contributor on rg-web is active until ${at}`);
    const soon = notificationFor(
      { type: "expiring-soon", target: contributor, endDateTime: end, minutesLeft: 10, leadMinutes: 10 },
      Date.parse(end) - 10 * 60_000,
      "en-GB",
    );
    expect(soon?.title).toBe("Contributor on rg-web expires in 10 min");
    expect(soon?.body).toBe(`Contributor on rg-web ends at ${at}. Renew it from PIM Tray if you still need it.`);
    expect(notificationFor({ type: "expired", target: reader, endDateTime: end }, now, "en-GB")?.title).toBe(
      "Global Reader has expired",
    );
    expect(notificationFor({ type: "denied", target: contributor, requestId: "r" }, now)?.body).toBe(
      "The approver denied Contributor on rg-web.",
    );
    expect(lineFor({ type: "submitted", target: reader, requestId: "r1", profile: null }, now)).toBe(
      "Global Reader: activation submitted, request r1",
    );
  });

  it("a group's text is as it was", () => {
    expect(notificationFor({ type: "pending-approval", target: finance, requestId: "r" }, now)).toEqual({
      title: "Finance Admins is waiting for approval",
      body: "Finance Admins (member) becomes active once an approver agrees. You will be told.",
      urgency: "low",
    });
  });

  it("ids are stable per event and target; a group's is as it was, and no two planes share one", () => {
    expect(notificationId({ type: "expired", target: finance, endDateTime: end })).toBe("expired:g:member");
    const ids = [reader, helpdesk, contributor].map((target) =>
      notificationId({ type: "expired", target, endDateTime: end }),
    );
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe("expired:role:f2ef992c-3afb-46b9-b7cf-a126ee74c451@/");
  });
});
