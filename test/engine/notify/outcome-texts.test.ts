import { describe, expect, it } from "vitest";
import type { ActivationOutcome, OutcomeFields } from "../../../electron/engine/activation/activation-types.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import { outcomeText, type OutcomeVoice } from "../../../electron/engine/notify/outcome-texts.js";
import { clockTime } from "../../../electron/engine/notify/texts.js";

const base: ActivationOutcome = {
  groupId: "g",
  groupName: "Finance Admins",
  accessId: "member",
  status: "active",
  requestId: "r1",
  requestStatus: "Provisioned",
  startDateTime: "2026-11-27T13:30:00Z",
  endDateTime: "2026-11-27T15:42:00Z",
  durationMs: 2 * 3600_000,
  error: null,
};
const o = (patch: Partial<OutcomeFields>): ActivationOutcome => ({ ...base, ...patch });

/** A terminal voice with visible marks and times, so each part is seen in the text. */
const terminal: OutcomeVoice = {
  audience: "terminal",
  mark: (t) => `[${t}]`,
  name: (n) => n.toUpperCase(),
  until: (e) => `END(${e})`,
  startsAt: (s) => `START(${s})`,
};

describe("outcome texts", () => {
  it("the popup says what happens next, in clock time", () => {
    expect(outcomeText(o({}))).toBe(`Finance Admins (member) is active until ${clockTime(base.endDateTime ?? "")}.`);
    expect(outcomeText(o({ status: "already-active", endDateTime: null }))).toBe("Finance Admins (member) is active.");
    expect(outcomeText(o({ status: "pending-approval" }))).toBe(
      "Finance Admins (member) is waiting for approval. You will be told when it is decided.",
    );
    expect(outcomeText(o({ status: "scheduled", startDateTime: null }))).toBe(
      "Finance Admins (member) is scheduled to start at the chosen time.",
    );
    expect(outcomeText(o({ status: "canceled" }))).toBe("The request for Finance Admins (member) was canceled.");
    expect(outcomeText(o({ status: "failed", error: null }))).toBe("Finance Admins (member) could not be activated.");
    expect(outcomeText(o({ status: "failed", error: new PimTrayError("denied", "PIM said no.") }))).toBe(
      "PIM said no.",
    );
  });

  it("the terminal adds its mark, the request and the next command, through its own look", () => {
    expect(outcomeText(o({}), terminal)).toBe(`[ok] FINANCE ADMINS (member) is active until END(${base.endDateTime}).`);
    expect(outcomeText(o({ status: "already-active" }), terminal)).toBe(
      `[ok] FINANCE ADMINS (member) was already active until END(${base.endDateTime}).`,
    );
    expect(outcomeText(o({ status: "provisioning" }), terminal)).toBe(
      "[wait] FINANCE ADMINS (member) is being provisioned (request r1). Check with `pimtray status`.",
    );
    expect(outcomeText(o({ status: "scheduled" }), terminal)).toBe(
      `[ok] FINANCE ADMINS (member) is scheduled to start at START(${base.startDateTime}) (request r1).`,
    );
    expect(outcomeText(o({ status: "validated" }), terminal)).toBe(
      "[ok] FINANCE ADMINS (member) would be accepted for 2 h: validation only, nothing was activated.",
    );
    expect(outcomeText(o({ status: "denied" }), terminal)).toBe(
      "[bad] FINANCE ADMINS (member) was denied by the approver (request r1).",
    );
    expect(outcomeText(o({ status: "failed", requestStatus: "Failed" }), terminal)).toBe(
      "[bad] FINANCE ADMINS (member): PIM reported Failed",
    );
  });
});
