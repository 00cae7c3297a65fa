// The profile editor's logic, under Node: no browser, no Preact.
import { describe, expect, it } from "vitest";
import type { EligibleView, PolicyView, ProfileView } from "../../electron/shared/ipc-api.js";
import {
  draftOf,
  emptyDraft,
  saveRequestOf,
  targetKey,
  withTarget,
  type ProfileDraft,
} from "../../renderer/profile-draft.js";

const FIN = "11111111-1111-4111-8111-111111111111";
const OPS = "22222222-2222-4222-8222-222222222222";
const GONE = "33333333-3333-4333-8333-333333333333";

const policy: PolicyView = {
  known: true,
  maxMinutes: 120,
  approvalRequired: false,
  approvers: [],
  mfaRequired: false,
  authContext: null,
  justificationRequired: false,
  ticketRequired: false,
};
const eligible: EligibleView[] = [
  { groupId: FIN, groupName: "Finance Admins", accessId: "member", eligibleUntil: null, policy },
  { groupId: OPS, groupName: "Platform Ops", accessId: "owner", eligibleUntil: null, policy },
];

const profile: ProfileView = {
  id: "p1",
  name: "Month end",
  targets: [
    { groupId: FIN, accessId: "member", groupName: "Finance Admins" },
    { groupId: OPS, accessId: "owner", groupName: "Platform Ops" },
  ],
  durationMinutes: 45,
  justification: "Month-end close",
  ticket: null,
  autoActivate: true,
  keepActive: { enabled: true, until: "18:00", maxRenewals: 3 },
  notifyLeadMinutes: [10, 2],
  managed: false,
};

const request = (d: ProfileDraft) => {
  const out = saveRequestOf(d, eligible);
  if (!out.ok) throw new Error(`expected a request, got: ${out.problem}`);
  return out.request;
};
const problem = (d: ProfileDraft) => {
  const out = saveRequestOf(d, eligible);
  return out.ok ? null : out.problem;
};

describe("profile draft", () => {
  it("turns a profile into the form's fields, numbers as text", () => {
    expect(draftOf(profile)).toEqual({
      id: "p1",
      name: "Month end",
      targets: [`${FIN}:member`, `${OPS}:owner`],
      durationMinutes: "45",
      justification: "Month-end close",
      ticketSystem: "",
      ticketNumber: "",
      autoActivate: true,
      keepActive: true,
      until: "18:00",
      maxRenewals: "3",
      leads: "10, 2",
    });
  });

  it("shows a profile's unset fields as empty inputs", () => {
    const bare: ProfileView = {
      ...profile,
      durationMinutes: null,
      justification: null,
      autoActivate: false,
      keepActive: { enabled: false },
      notifyLeadMinutes: null,
    };
    expect(draftOf(bare)).toMatchObject({
      durationMinutes: "",
      justification: "",
      keepActive: false,
      until: "",
      maxRenewals: "",
      leads: "",
    });
  });

  it("saves an edited profile back as it was", () => {
    expect(request(draftOf(profile))).toEqual({
      id: "p1",
      name: "Month end",
      targets: profile.targets,
      durationMinutes: 45,
      justification: "Month-end close",
      autoActivate: true,
      keepActive: { enabled: true, until: "18:00", maxRenewals: 3 },
      notifyLeadMinutes: [10, 2],
    });
  });

  it("keeps a profile's ticket through an edit, and refuses half a ticket", () => {
    const withTicket: ProfileView = { ...profile, ticket: { system: "ServiceNow", number: "CHG0042" } };
    expect(draftOf(withTicket)).toMatchObject({ ticketSystem: "ServiceNow", ticketNumber: "CHG0042" });
    expect(request(draftOf(withTicket)).ticket).toEqual({ system: "ServiceNow", number: "CHG0042" });
    expect(request({ ...draftOf(withTicket), ticketSystem: "", ticketNumber: "" })).not.toHaveProperty("ticket");
    expect(problem({ ...draftOf(withTicket), ticketNumber: " " })).toMatch(/both its system .* and its number/);
  });

  it("leaves empty fields out of a new profile, so main applies its defaults", () => {
    const r = request({ ...emptyDraft(), name: "Quick", targets: [`${FIN}:member`], justification: "   " });
    expect(r).toEqual({
      name: "Quick",
      targets: [{ groupId: FIN, accessId: "member", groupName: "Finance Admins" }],
      autoActivate: false,
      keepActive: { enabled: false },
    });
    expect(r).not.toHaveProperty("id");
  });

  it("names each target from the eligible list, and none for a group no longer eligible", () => {
    const r = request({ ...emptyDraft(), targets: [`${OPS}:owner`, `${GONE}:member`] });
    expect(r.targets).toEqual([
      { groupId: OPS, accessId: "owner", groupName: "Platform Ops" },
      { groupId: GONE, accessId: "member", groupName: undefined },
    ]);
  });

  it("reads lead times as whole minutes separated by commas", () => {
    expect(request({ ...emptyDraft(), leads: " 15,5 , 1 " }).notifyLeadMinutes).toEqual([15, 5, 1]);
    expect(request({ ...emptyDraft(), leads: "  " })).not.toHaveProperty("notifyLeadMinutes");
  });

  it.each(["10, soon", "0", "2.5", "10,,2", "-1"])("refuses the lead times %j with a plain message", (leads) => {
    expect(problem({ ...emptyDraft(), leads })).toBe(
      "Lead times are whole minutes, separated by commas, such as 10, 2.",
    );
  });

  it("picks and unpicks a target by its key", () => {
    const key = targetKey(eligible[1] ?? eligible[0] ?? { groupId: "", accessId: "" });
    expect(key).toBe(`${OPS}:owner`);
    const picked = withTarget([`${FIN}:member`], key, true);
    expect(picked).toEqual([`${FIN}:member`, key]);
    expect(withTarget(picked, `${FIN}:member`, false)).toEqual([key]);
  });
});
