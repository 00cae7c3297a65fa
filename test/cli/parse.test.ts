import { describe, expect, it } from "vitest";
import {
  parseActivateOptions,
  parseAs,
  parseGroupSpec,
  parseJustification,
  parseLimit,
  parseNameKind,
  parseProfileFields,
  parseStart,
  parseTicket,
  parseTimeout,
  parseWaitFor,
} from "../../electron/cli/parse.js";
import { UsageError } from "../../electron/engine/errors.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../../electron/engine/limits.js";

/** The UsageError a call throws, so a test can check its message names the fix. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error("expected a UsageError, nothing was thrown");
}

describe("--as", () => {
  it("takes member or owner in any case, and nothing when not given", () => {
    expect(parseAs(undefined)).toBeUndefined();
    expect(parseAs("member")).toBe("member");
    expect(parseAs("OWNER")).toBe("owner");
  });

  it("refuses any other role, naming the two it takes", () => {
    expect(usageError(() => parseAs("admin")).message).toBe("--as takes member or owner, not 'admin'.");
    expect(() => parseAs("")).toThrow(UsageError);
  });
});

describe("--ticket", () => {
  it("splits SYSTEM:NUMBER at the first colon and trims both parts", () => {
    expect(parseTicket(undefined)).toBeUndefined();
    expect(parseTicket(" ServiceNow : INC0012345 ")).toEqual({ system: "ServiceNow", number: "INC0012345" });
    expect(parseTicket("Jira:OPS:42")).toEqual({ system: "Jira", number: "OPS:42" });
  });

  it("refuses a ticket without both a system and a number", () => {
    for (const bad of ["INC0012345", ":INC1", "ServiceNow:", "  :  ", ""]) {
      expect(usageError(() => parseTicket(bad)).message).toContain("SYSTEM:NUMBER");
    }
  });

  it("refuses a part over the engine's limit, and accepts one at it", () => {
    const longSystem = "S".repeat(TICKET_LIMITS.system + 1);
    const longNumber = "N".repeat(TICKET_LIMITS.number + 1);
    expect(usageError(() => parseTicket(`${longSystem}:1`)).message).toContain("ticket system");
    expect(usageError(() => parseTicket(`Jira:${longNumber}`)).message).toContain("ticket number");
    expect(parseTicket(`${"S".repeat(TICKET_LIMITS.system)}:1`)?.system).toHaveLength(TICKET_LIMITS.system);
  });
});

describe("--justification", () => {
  it("passes text through unchanged up to the limit, measured trimmed", () => {
    expect(parseJustification(undefined)).toBeUndefined();
    const atLimit = ` ${"j".repeat(JUSTIFICATION_MAX)} `;
    expect(parseJustification(atLimit)).toBe(atLimit);
  });

  it("refuses a justification over the limit", () => {
    const e = usageError(() => parseJustification("j".repeat(JUSTIFICATION_MAX + 1)));
    expect(e.message).toContain(`at most ${JUSTIFICATION_MAX} characters`);
  });
});

describe("--start", () => {
  it("takes an ISO-8601 date-time with its offset", () => {
    expect(parseStart(undefined)).toBeUndefined();
    expect(parseStart("2026-11-27T16:00:00+01:00")?.toISOString()).toBe("2026-11-27T15:00:00.000Z");
  });

  it("refuses a date without a time, or text that is no date", () => {
    expect(usageError(() => parseStart("2026-11-27")).message).toContain("ISO-8601");
    expect(() => parseStart("tomorrow")).toThrow(UsageError);
    expect(() => parseStart("2026-13-45T99:00:00Z")).toThrow(UsageError);
  });
});

describe("--timeout", () => {
  it("uses the fallback when not given", () => {
    expect(parseTimeout(undefined, 60_000)).toBe(60_000);
  });

  it("takes seconds, minutes and hours, and ISO durations, with no 5-minute floor", () => {
    expect(parseTimeout("30s", 0)).toBe(30_000);
    expect(parseTimeout("1.5 min", 0)).toBe(90_000);
    expect(parseTimeout("2H", 0)).toBe(7_200_000);
    expect(parseTimeout("PT10M", 0)).toBe(600_000);
    expect(parseTimeout("PT1S", 0)).toBe(1000);
  });

  it("refuses what is not a positive duration", () => {
    for (const bad of ["soon", "10", "PT0S", "-5m", ""]) {
      expect(usageError(() => parseTimeout(bad, 0)).message).toContain("--timeout takes a duration");
    }
  });
});

describe("--wait and --no-wait", () => {
  it("waits until usable by default, for the final state with --wait, for nothing with --no-wait", () => {
    expect(parseWaitFor({})).toBe("provisioned");
    expect(parseWaitFor({ wait: true })).toBe("final");
    expect(parseWaitFor({ noWait: true })).toBe("none");
  });

  it("refuses both at once", () => {
    expect(usageError(() => parseWaitFor({ wait: true, noWait: true })).message).toBe(
      "Use --wait or --no-wait, not both.",
    );
  });
});

describe("--profile and --group", () => {
  it("say which kind of name to prefer; neither prefers nothing", () => {
    expect(parseNameKind({})).toBeUndefined();
    expect(parseNameKind({ profile: true })).toBe("profile");
    expect(parseNameKind({ group: true })).toBe("group");
  });

  it("refuses both at once", () => {
    expect(usageError(() => parseNameKind({ profile: true, group: true })).message).toBe(
      "Use --profile or --group, not both.",
    );
  });
});

describe("a profile's --group NAME[:role]", () => {
  it("takes the role from the suffix, else from --as", () => {
    expect(parseGroupSpec("Finance Admins", undefined)).toEqual({ name: "Finance Admins", as: undefined });
    expect(parseGroupSpec("Finance Admins", "owner")).toEqual({ name: "Finance Admins", as: "owner" });
    expect(parseGroupSpec("Finance Admins:Owner", "member")).toEqual({ name: "Finance Admins", as: "owner" });
  });

  it("keeps colons that are part of the name", () => {
    expect(parseGroupSpec("Ops: EU:member", undefined)).toEqual({ name: "Ops: EU", as: "member" });
    expect(parseGroupSpec("Ops: EU", undefined)).toEqual({ name: "Ops: EU", as: undefined });
  });
});

describe("history --limit", () => {
  it("is 20 when not given, else a whole number of at least 1", () => {
    expect(parseLimit(undefined)).toBe(20);
    expect(parseLimit("1")).toBe(1);
    expect(parseLimit("250")).toBe(250);
  });

  it("refuses zero, fractions and text", () => {
    for (const bad of ["0", "-3", "2.5", "many"]) {
      expect(usageError(() => parseLimit(bad)).message).toBe("--limit takes a whole number, at least 1.");
    }
  });
});

describe("activate's options together", () => {
  it("parses each option and picks the timeout's default by the wait mode", () => {
    expect(parseActivateOptions({ duration: "90m", ticket: "Jira:OPS-1", start: "2026-11-27T16:00:00Z" })).toEqual({
      durationMs: 90 * 60_000,
      ticket: { system: "Jira", number: "OPS-1" },
      startAt: new Date("2026-11-27T16:00:00Z"),
      waitFor: "provisioned",
      timeoutMs: 60_000,
    });
    expect(parseActivateOptions({ wait: true })).toMatchObject({ waitFor: "final", timeoutMs: 15 * 60_000 });
    expect(parseActivateOptions({ wait: true, timeout: "45s" })).toMatchObject({ timeoutMs: 45_000 });
  });

  it("checks every option, the ones it does not return among them", () => {
    expect(() => parseActivateOptions({ duration: "2m" })).toThrow(/at least 5 minutes/);
    expect(() => parseActivateOptions({ justification: "j".repeat(JUSTIFICATION_MAX + 1) })).toThrow(UsageError);
    expect(() => parseActivateOptions({ as: "guest" })).toThrow(/--as takes member or owner/);
    expect(() => parseActivateOptions({ wait: true, noWait: true })).toThrow(/not both/);
    expect(() => parseActivateOptions({ timeout: "later" })).toThrow(/--timeout/);
  });

  it("reports the first bad option in the order the command checked them before", () => {
    expect(usageError(() => parseActivateOptions({ duration: "x", ticket: "bad", start: "bad" })).message).toContain(
      "is not a duration",
    );
    expect(usageError(() => parseActivateOptions({ ticket: "bad", start: "bad" })).message).toContain("SYSTEM:NUMBER");
  });
});

describe("profile fields", () => {
  it("sets only the fields given", () => {
    expect(parseProfileFields({})).toEqual({});
    expect(parseProfileFields({ autoActivate: false })).toEqual({ autoActivate: false });
  });

  it("stores the duration as ISO, the ticket split, the warnings as minutes", () => {
    expect(
      parseProfileFields({ duration: "1h30m", justification: "on call", ticket: "Jira:OPS-1", notify: "10, 2" }),
    ).toEqual({
      duration: "PT1H30M",
      justification: "on call",
      ticket: { system: "Jira", number: "OPS-1" },
      notifyLeadMinutes: [10, 2],
    });
  });

  it("turns keep-active on with whichever limits are given", () => {
    expect(parseProfileFields({ keepActiveUntil: "18:00" })).toEqual({ keepActive: { enabled: true, until: "18:00" } });
    expect(parseProfileFields({ keepActiveRenewals: "3" })).toEqual({ keepActive: { enabled: true, maxRenewals: 3 } });
  });

  it("refuses renewals and warnings that are not whole positive numbers", () => {
    for (const bad of ["0", "1.5", "x"]) {
      expect(usageError(() => parseProfileFields({ keepActiveRenewals: bad })).message).toContain(
        "--keep-active-renewals",
      );
    }
    for (const bad of ["10,0", "ten", "5,", "2.5"]) {
      expect(usageError(() => parseProfileFields({ notify: bad })).message).toContain("--notify");
    }
  });

  it("refuses a bad duration, justification or ticket like activate does", () => {
    expect(() => parseProfileFields({ duration: "1m" })).toThrow(UsageError);
    expect(() => parseProfileFields({ justification: "j".repeat(JUSTIFICATION_MAX + 1) })).toThrow(UsageError);
    expect(() => parseProfileFields({ ticket: "no-colon" })).toThrow(UsageError);
  });
});
