// `pimtray` as a child process against the emulator over HTTPS: sign-in and every policy case.
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G, DEMO_USERS as U } from "../../emulator/index.js";
import { CliHarness, endCliSuite, POST_REQUESTS, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 300 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(() => resetPim(emu));

const posts = async () => (await emu.control.requests()).filter((e) => e.method === "POST" && e.path === POST_REQUESTS);

describe("sign-in", () => {
  it("whoami shows the account; the token cache is readable only by its owner", async () => {
    const r = await cli.json(["whoami"]);
    expect(r.code).toBe(0);
    expect(r.body.account).toMatchObject({
      username: "adele@contoso.example",
      objectId: U.adele,
      tenantId: emu.tenantId,
    });
    expect(r.body.tokenStorage).toContain("readable only by you");
    expect(statSync(join(cli.configDir, "msal-cache.json")).mode & 0o777).toBe(0o600);
  });

  it("logout removes the tokens; whoami then exits 3 and login works again", async () => {
    const other = new CliHarness(emu);
    await other.login("megan");
    expect((await other.run(["logout"])).stdout).toContain("Signed out megan@contoso.example");
    const who = await other.run(["whoami"]);
    expect(who.code).toBe(3);
    expect(who.stdout).toContain("Not signed in");
    const status = await other.run(["status"]);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain("pimtray login");
    other.cleanup();
    await emu.control.configure({ deviceCodeAutoApprove: "adele" });
  });

  it("switches between accounts signed in on this computer without a prompt", async () => {
    const two = new CliHarness(emu);
    await two.login("megan");
    await two.login("alex");
    const who = await two.json(["whoami"]);
    expect(who.body.account.username).toBe("alex@contoso.example");
    expect(who.body.otherAccounts).toEqual(["megan@contoso.example"]);
    const sw = await two.run(["login", "--account", "megan@contoso.example"]);
    expect(sw.stdout).toContain("Now using Megan Bowen");
    expect((await two.json(["whoami"])).body.account.username).toBe("megan@contoso.example");
    const unknown = await two.run(["login", "--account", "nobody@contoso.example"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("No signed-in account 'nobody@contoso.example'");
    cli.transcript.push(...two.transcript);
    two.cleanup();
    await emu.control.configure({ deviceCodeAutoApprove: "adele" });
  });

  it("refuses a step-up completed as a different user", async () => {
    await emu.control.configure({ deviceCodeAutoApprove: "alex" });
    try {
      const r = await cli.run(["activate", "Exchange Admins", "--justification", "x"]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        "You verified as alex@contoso.example, but PIM Tray is signed in as adele@contoso.example",
      );
      expect((await emu.control.pimRequests()).filter((x) => x.principalId !== U.adele)).toEqual([]);
    } finally {
      await emu.control.configure({ deviceCodeAutoApprove: "adele" });
    }
  });
});

describe("eligible and status", () => {
  it("lists eligibilities with their policy summaries", async () => {
    const r = await cli.json(["eligible"]);
    expect(r.code).toBe(0);
    const byName = (n: string, a = "member") =>
      r.body.eligibilities.find((e: any) => e.groupName === n && e.accessId === a);
    expect(byName("Helpdesk Operators").policy).toMatchObject({
      maxDuration: "PT1H",
      maxDurationMinutes: 60,
      approvalRequired: false,
      justificationRequired: true,
    });
    expect(byName("Tenant Admins").policy.approvalRequired).toBe(true);
    expect(byName("Exchange Admins").policy.mfaRequired).toBe(true);
    expect(byName("Key Vault Officers").policy.authContext).toBe("c1");
    expect(byName("Production Deploy").policy.ticketRequired).toBe(true);
    expect(byName("SharePoint Site Admins", "owner").policy.maxDuration).toBe("PT2H");
    expect(r.body.eligibilities.some((e: any) => e.groupName === "Legacy Billing")).toBe(false);
    const human = await cli.run(["eligible"]);
    expect(human.stdout).toMatch(/^GROUP\s+ROLE\s+MAX\s+APPROVAL/m);
    expect(human.stdout).toMatch(/Key Vault Officers\s+member\s+2 h\s+—\s+context c1/);
  });
});

describe("activate", () => {
  it("activates a group by name and reports the end time; status and history show it", async () => {
    const r = await cli.json(["activate", "finance admins", "--duration", "90m", "--justification", "Quarter close"]);
    expect(r.code).toBe(0);
    const [o] = r.body.outcomes;
    expect(o).toMatchObject({
      groupId: G.financeAdmins,
      groupName: "Finance Admins",
      accessId: "member",
      status: "active",
      requestStatus: "Provisioned",
      durationMinutes: 90,
    });
    expect(Date.parse(o.endDateTime) - Date.parse(o.startDateTime)).toBe(90 * 60_000);
    const body = (await posts())[0]?.body as Record<string, any>;
    expect(body).toMatchObject({
      action: "selfActivate",
      principalId: U.adele,
      groupId: G.financeAdmins,
      accessId: "member",
      justification: "Quarter close",
    });
    expect(body.scheduleInfo.expiration).toEqual({ type: "afterDuration", duration: "PT1H30M" });
    const status = await cli.json(["status"]);
    expect(status.body.active).toEqual([
      expect.objectContaining({ groupName: "Finance Admins", accessId: "member", minutesLeft: expect.any(Number) }),
    ]);
    expect(status.body.active[0].minutesLeft).toBeGreaterThanOrEqual(89);
    const human = await cli.run(["status"]);
    expect(human.stdout).toMatch(
      /Finance Admins\s+member\s+\S.*1 h 30 min left|Finance Admins\s+member\s+\S.*1 h 29 min left/,
    );
    const history = await cli.json(["history"]);
    const mine = history.body.entries.filter((e: any) => e.groupId === G.financeAdmins && e.action === "activate");
    expect(mine.map((e: any) => e.status)).toEqual(expect.arrayContaining(["PendingProvisioning", "Provisioned"]));
    expect(mine[0]).toMatchObject({
      account: "adele@contoso.example",
      justification: "Quarter close",
      durationMs: 90 * 60_000,
      requestId: o.requestId,
    });
  });

  it("reports an existing activation as already active, with exit 0 and no second request", async () => {
    expect((await cli.run(["activate", "Finance Admins", "--justification", "x"])).code).toBe(0);
    const again = await cli.run(["activate", "Finance Admins", "--justification", "x"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("was already active until");
    expect(await emu.control.pimRequests()).toHaveLength(1);
  });

  it("blocks a duration over the policy before sending anything (exit 4)", async () => {
    const r = await cli.run(["activate", "Helpdesk Operators", "--duration", "2h", "--justification", "x"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("at most 1 h");
    expect(await posts()).toHaveLength(0);
  });

  it("requires a justification and a ticket locally; sends the ticket when given", async () => {
    const none = await cli.run(["activate", "Production Deploy"]);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("requires a justification");
    expect(none.stderr).toContain("--ticket SYSTEM:NUMBER");
    expect(await posts()).toHaveLength(0);
    const ok = await cli.json([
      "activate",
      "Production Deploy",
      "--justification",
      "Release 42",
      "--ticket",
      "ServiceNow:CHG0042",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.body.outcomes[0].status).toBe("active");
    expect(((await posts())[0]?.body as Record<string, unknown>).ticketInfo).toEqual({
      ticketSystem: "ServiceNow",
      ticketNumber: "CHG0042",
    });
  });

  it("steps up for MFA when PIM answers MfaRule, then succeeds", async () => {
    const r = await cli.json(["activate", "Exchange Admins", "--justification", "Mailbox fix"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("active");
    const log = await emu.control.requests();
    const postStatuses = log.filter((e) => e.path === POST_REQUESTS && e.method === "POST").map((e) => e.status);
    expect(postStatuses).toEqual([400, 201]);
    // Adele's session had no MFA, so the silent attempt needed interaction (the device code again).
    const tokenCalls = log.filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
    expect(
      tokenCalls.some((e) => (e.body as Record<string, string>).grant_type === "refresh_token" && e.status === 400),
    ).toBe(true);
    expect(log.some((e) => e.path.endsWith("/oauth2/v2.0/devicecode"))).toBe(true);
  });

  it("asks for the authentication context up front when the policy names one", async () => {
    const r = await cli.json(["activate", "Key Vault Officers", "--justification", "Rotate keys"]);
    expect(r.code).toBe(0);
    expect((await posts()).map((e) => e.status)).toEqual([201]);
    const claimsAsked = (await emu.control.requests()).some((e) =>
      String((e.body as Record<string, string> | null)?.claims ?? "").includes('"acrs"'),
    );
    expect(claimsAsked).toBe(true);
  });

  it("steps up from the 400 claims challenge when the policy cannot be read", async () => {
    // A fresh sign-in: the suite's cached token already carries acrs from the previous test.
    const fresh = new CliHarness(emu);
    await fresh.login("adele");
    await emu.control.configure({ denyPolicyRead: true });
    try {
      const r = await fresh.json(["activate", "Key Vault Officers", "--justification", "Rotate keys"]);
      expect(r.code).toBe(0);
      expect((await posts()).map((e) => e.status)).toEqual([400, 201]);
    } finally {
      await emu.control.configure({ denyPolicyRead: false });
      cli.transcript.push(...fresh.transcript);
      fresh.cleanup();
    }
  });

  it("validates only: nothing is activated", async () => {
    const r = await cli.json(["activate", "Finance Admins", "--justification", "x", "--validate-only"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("validated");
    expect((await posts())[0]?.body).toMatchObject({ isValidationOnly: true });
    expect(await emu.control.pimRequests()).toHaveLength(0);
    expect(await emu.control.pimInstances()).toHaveLength(0);
  });

  it("schedules a future start", async () => {
    const start = new Date(Date.now() + 2 * 3600_000).toISOString();
    const r = await cli.json([
      "activate",
      "Finance Admins",
      "--justification",
      "Tonight's change",
      "--start",
      start,
      "--duration",
      "1h",
    ]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0]).toMatchObject({ status: "scheduled", requestStatus: "Granted", startDateTime: start });
    expect((await posts())[0]?.body).toMatchObject({ scheduleInfo: { startDateTime: start } });
  });
});

describe("approval", () => {
  async function activateAndDecide(decision: "approve" | "deny") {
    const child = cli.spawn(["activate", "Tenant Admins", "--justification", "Break glass", "--wait", "--json"]);
    for (let i = 0; i < 200; i++) {
      const pending = (await emu.control.pimRequests()).find((r) => r.status === "PendingApproval");
      if (pending) {
        await new Promise((r) => setTimeout(r, 300));
        await (decision === "approve" ? emu.control.approve(pending.id) : emu.control.deny(pending.id));
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return child.result;
  }

  it("waits through approval to active when approved", async () => {
    const r = await activateAndDecide("approve");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcomes[0].status).toBe("active");
  });

  it("ends with exit 5 when denied", async () => {
    const r = await activateAndDecide("deny");
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).outcomes[0].status).toBe("denied");
  });

  it("without --wait, reports the pending approval and exits 0; --wait with a short timeout exits 6", async () => {
    const r = await cli.run(["activate", "Tenant Admins", "--justification", "x"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("waiting for approval");
    emu.emulator.pim.requests.clear();
    const timedOut = await cli.run(["activate", "Tenant Admins", "--justification", "x", "--wait", "--timeout", "2s"]);
    expect(timedOut.code).toBe(6);
    expect(timedOut.stdout).toContain("waiting for approval");
  });
});

describe("deactivate and cancel", () => {
  it("refuses within the 5-minute floor and says when it becomes possible; works after it", async () => {
    expect((await cli.run(["activate", "Finance Admins", "--justification", "x"])).code).toBe(0);
    const early = await cli.json(["deactivate", "Finance Admins"]);
    expect(early.code).toBe(4);
    expect(early.body.outcomes[0].error.message).toContain("less than 5 minutes ago");
    expect(Date.parse(early.body.outcomes[0].error.possibleAt)).toBeGreaterThan(Date.now());
    await emu.control.advanceClock(5 * 60_000 + 1000);
    const ok = await cli.run(["deactivate", "Finance Admins"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("is deactivated");
    expect(await emu.control.pimInstances()).toHaveLength(0);
    const none = await cli.run(["deactivate", "Finance Admins"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("is not active");
  });

  it("cancels a pending request", async () => {
    const r = await cli.json(["activate", "Tenant Admins", "--justification", "x"]);
    const id = r.body.outcomes[0].requestId;
    const c = await cli.run(["cancel", id]);
    expect(c.code).toBe(0);
    expect((await emu.control.pimRequests())[0]?.status).toBe("Canceled");
    const again = await cli.run(["cancel", id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("only a pending request can be canceled");
    const status = await cli.json(["status"]);
    expect(status.body.pending).toEqual([]);
  });
});
