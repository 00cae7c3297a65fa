// `pimtray approvals`, `approve` and `deny` as child processes against the emulator over HTTPS, with the
// real MSAL: Megan (the demo approver on every plane) lists, approves and denies Adele's requests; what
// another approver decided first, Adele's own request and a non-approver (Alex) are refused with a plain
// message and exit code, and nothing is sent twice; serial approval on groups and Azure roles.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlaneKind } from "../../electron/engine/planes/targets.js";
import { ARM_ROLES as AR, ARM_SCOPES as S, DEMO_GROUPS as G, DEMO_USERS as U } from "../../emulator/index.js";
import {
  APPROVAL_LABELS,
  decideElsewhere as decideOnControl,
  requestAsAdele,
  requestDemoApproval,
} from "../helpers/approvals.js";
import { CliHarness } from "../helpers/cli.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let megan: CliHarness;
let adele: CliHarness;
let alex: CliHarness;
/** Each plane's requests and instances as they were after sign-in: every test starts from them. */
const baseline = new Map<Map<string, unknown>, Set<string>>();

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 0 } });
  megan = new CliHarness(emu);
  adele = new CliHarness(emu);
  alex = new CliHarness(emu);
  await megan.login("megan");
  await adele.login("adele");
  await alex.login("alex");
  const e = emu.emulator;
  for (const m of [
    e.pim.requests,
    e.pim.instances,
    e.roles.requests,
    e.roles.instances,
    e.roles.approvals,
    e.armState.requests,
    e.armState.instances,
  ] as Array<Map<string, unknown>>)
    baseline.set(m, new Set(m.keys()));
}, 60_000);
afterAll(async () => {
  for (const c of [megan, adele, alex]) {
    c.expectNoSecrets(expect);
    c.cleanup();
  }
  await emu.stop();
});
beforeEach(() => {
  // Back to the signed-in start (a full reset would also end the sessions, and every test would sign in again).
  for (const [m, keys] of baseline) for (const k of [...m.keys()]) if (!keys.has(k)) m.delete(k);
  emu.emulator.faults.clear();
  emu.emulator.log.clear();
});

const PLANES: PlaneKind[] = ["group", "role", "azure"];

/** Decisions (PATCH of a stage or step) that reached the emulator. */
const decisionsSent = async () => (await emu.control.requests()).filter((r) => r.method === "PATCH");

/** The request's status as PIM holds it, on any plane. */
async function statusOf(plane: PlaneKind, id: string): Promise<string | undefined> {
  if (plane === "group") return (await emu.control.pimRequests()).find((r) => r.id === id)?.status;
  if (plane === "role") return (await emu.control.roleRequests()).find((r) => r.id === id)?.status;
  return (
    emu.emulator.armState.requests.get(id)?.status ??
    [...emu.emulator.armState.requests.values()].find((r) => r.name === id)?.status
  );
}

/** Another approver's decision, as PIM records it (the control API decides as an approver would). */
const decideElsewhere = (plane: PlaneKind, id: string) => decideOnControl(emu, plane, id);

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, unknown>;

describe("pimtray approvals: what waits for me", () => {
  it(
    "lists one line per request on every plane, with its id, whether or not 'I approve requests' is on",
    { timeout: 60_000 },
    async () => {
      const made = {
        group: await requestAsAdele(emu, "group", { duration: "PT2H", ticketNumber: "CHG-77" }),
        role: await requestAsAdele(emu, "role", { duration: "PT1H" }),
        azure: await requestAsAdele(emu, "azure", { duration: "PT4H" }),
      };
      // Settings say off (the default): running the command is the explicit ask.
      const r = await megan.run(["approvals"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(
        new RegExp(
          `^${made.group.id}  Adele Vance asks for Tenant Admins \\(member\\) for 2 h: 'Quarter close'\\. Ticket CHG-77 \\(Emulator\\)\\. Times out in (1 d|23 h \\d+ min) \\(.+\\)\\.$`,
        ),
      );
      expect(lines[1]).toMatch(
        new RegExp(`^${made.role.id}  Adele Vance asks for Privileged Role Administrator for 1 h: 'Quarter close'\\.`),
      );
      expect(lines[2]).toMatch(
        new RegExp(`^${made.azure.id}  Adele Vance asks for Owner on Contoso Production for 4 h: 'Quarter close'\\.`),
      );
      expect(r.stdout).not.toMatch(/Stage \d of/);
      expect(lines[3]).toContain("pimtray approve REQUEST_ID --justification TEXT");
      expect(r.stderr).toContain("Run `pimtray approvals on`");

      const j = await megan.json<Array<Record<string, unknown>>>(["approvals"]);
      expect(j.code).toBe(0);
      expect(j.body.map((a) => a.requestId)).toEqual([made.group.id, made.role.id, made.azure.id]);
      expect(j.body[0]).toMatchObject({
        requestId: made.group.id,
        kind: "group",
        name: "Tenant Admins",
        label: "Tenant Admins (member)",
        scope: G.tenantAdmins,
        groupId: G.tenantAdmins,
        accessId: "member",
        requester: { id: U.adele, name: "Adele Vance", userPrincipalName: "adele@contoso.example" },
        justification: "Quarter close",
        ticket: { number: "CHG-77", system: "Emulator" },
        duration: "PT2H",
        durationMinutes: 120,
        stage: { index: 1, count: 1 },
        justificationRequired: true,
      });
      // The requested start: null (as soon as approved) or a time, as the plane reports it.
      expect(j.body[0]).toHaveProperty("startDateTime");
      expect(Date.parse(String(j.body[0]?.expiresAt)) - Date.parse(String(j.body[0]?.createdDateTime))).toBe(
        86_400_000,
      );
      expect(j.body[1]).toMatchObject({
        kind: "role",
        name: "Privileged Role Administrator",
        scope: "/",
        scopeName: "Directory",
      });
      expect(j.body[2]).toMatchObject({
        kind: "azure",
        name: "Owner",
        label: "Owner on Contoso Production",
        scope: S.production,
        scopeName: "Contoso Production",
        roleDefinitionId: expect.stringMatching(new RegExp(`/roleDefinitions/${AR.owner}$`, "i")),
      });

      // --kind shows one plane.
      const azure = await megan.json<Array<{ requestId: string }>>(["approvals", "--kind", "azure"]);
      expect(azure.body.map((a) => a.requestId)).toEqual([made.azure.id]);
      // Nobody else's inbox holds them: Alex approves none, and Adele does not approve her own.
      expect((await alex.json<unknown[]>(["approvals"])).body).toEqual([]);
      expect((await adele.json<unknown[]>(["approvals"])).body).toEqual([]);
      const none = await alex.run(["approvals", "--kind", "role"]);
      expect(none.stdout.trim()).toBe("Nothing waits for your approval on Entra ID roles.");
      // Listing decides nothing.
      expect(await decisionsSent()).toEqual([]);
    },
  );

  it("a plane whose approvals cannot be read is a note on stderr naming the plane and API; the others are listed", async () => {
    const group = await requestAsAdele(emu, "group");
    const azure = await requestAsAdele(emu, "azure");
    await emu.control.addFaults([
      {
        kind: "status",
        status: 403,
        method: "GET",
        path: "/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser",
      },
    ]);
    const r = await megan.run(["approvals"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(group.id);
    expect(r.stdout).toContain(azure.id);
    expect(r.stderr).toMatch(
      /^Entra ID roles: approvals unavailable \(Graph v1\.0 roleAssignmentScheduleRequests\): /m,
    );
    const j = await megan.json<Array<{ requestId: string }>>(["approvals"]);
    expect(j.code).toBe(0);
    expect(j.body.map((a) => a.requestId)).toEqual([group.id, azure.id]);
    expect(j.stderr).toMatch(/Entra ID roles: approvals unavailable/);
    // Filtered to the plane that failed: nothing listed, the note still says why.
    const roles = await megan.run(["approvals", "--kind", "role"]);
    expect(roles.stdout.trim()).toBe("Nothing waits for your approval on Entra ID roles.");
    expect(roles.stderr).toMatch(/Entra ID roles: approvals unavailable/);
  });

  it("takes the global options: --arm-endpoint names Azure Resource Manager for a custom connection", async () => {
    const azure = await requestAsAdele(emu, "azure");
    // A custom sign-in and Graph endpoint without an ARM endpoint: Azure roles are off (no token goes to the real ARM).
    const off = await megan.run(["approvals", "--json"], { PIMTRAY_ARM_ENDPOINT: "" });
    expect(JSON.parse(off.stdout)).toEqual([]);
    const flag = await megan.run(["approvals", "--json", "--arm-endpoint", emu.armBaseUrl], {
      PIMTRAY_ARM_ENDPOINT: "",
    });
    expect((JSON.parse(flag.stdout) as Array<{ requestId: string }>).map((a) => a.requestId)).toEqual([azure.id]);
    const r = await megan.run(["approve", azure.id, "--arm-endpoint", emu.armBaseUrl, "--justification", "ok"], {
      PIMTRAY_ARM_ENDPOINT: "",
    });
    expect(r.code).toBe(0);
    expect(await statusOf("azure", azure.id)).toBe("Provisioned");
  });

  it("approvals on|off sets 'I approve requests' in settings.json for the tray app and pimtray watch", async () => {
    const settings = () =>
      (JSON.parse(readFileSync(join(megan.configDir, "settings.json"), "utf8")) as { approvals: { enabled: boolean } })
        .approvals;
    const on = await megan.run(["approvals", "on"]);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/^I approve requests: on\./);
    expect(settings().enabled).toBe(true);
    const off = await megan.json(["approvals", "off"]);
    expect([off.code, off.body]).toEqual([0, { approvals: { enabled: false } }]);
    expect(settings().enabled).toBe(false);
    // Turning it on or off is local: no request at all.
    expect(await emu.control.requests()).toEqual([]);
    const bad = await megan.run(["approvals", "maybe"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("takes on or off");
    const kind = await megan.run(["approvals", "on", "--kind", "role"]);
    expect(kind.code).toBe(2);
    expect(settings().enabled).toBe(false);
  });
});

describe.each(PLANES)("deciding on the %s plane", (plane) => {
  it("approve: the request is provisioned; a second approve exits with a plain message and sends nothing", async () => {
    const made = await requestAsAdele(emu, plane);
    const r = await megan.run(["approve", made.id, "--justification", "Checked the change"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      `Approved ${APPROVAL_LABELS[plane]} for Adele Vance.${plane === "azure" ? "" : " The request is Provisioned."}`,
    );
    expect(await statusOf(plane, made.id)).toBe("Provisioned");
    const saved = JSON.parse(readFileSync(join(megan.configDir, "settings.json"), "utf8")) as {
      approvals: { lastJustification?: string };
    };
    expect(saved.approvals.lastJustification).toBe("Checked the change");
    expect(await decisionsSent()).toHaveLength(1);
    expect((await megan.json<unknown[]>(["approvals"])).body).toEqual([]);

    const again = await megan.run(["approve", made.id, "--justification", "Once more"]);
    if (plane === "azure") {
      // ARM shows an approver pending requests only: a decided one cannot be told from an unknown id.
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        /No request .* waits for your approval\. It may have been decided or cancelled already/,
      );
    } else {
      expect(again.code).toBe(10);
      expect(again.stderr).toContain(
        `Request ${made.id} no longer waits for approval (it is Provisioned). Nothing was sent.`,
      );
    }
    expect(await decisionsSent()).toHaveLength(1);
  });

  it("deny --json: the request is Denied", async () => {
    const made = await requestAsAdele(emu, plane);
    const r = await megan.json(["deny", made.id, "--justification", "No change ticket"]);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({
      requestId: made.id,
      kind: plane,
      decision: "Deny",
      requestStatus: "Denied",
      name: { group: "Tenant Admins", role: "Privileged Role Administrator", azure: "Owner" }[plane],
      label: APPROVAL_LABELS[plane],
      requester: { id: U.adele, name: "Adele Vance" },
      stage: { index: 1, count: 1 },
      nextStage: null,
    });
    expect(await statusOf(plane, made.id)).toBe("Denied");
  });

  it("another approver decided first: refused in plain words, nothing sent", async () => {
    const made = await requestAsAdele(emu, plane);
    await decideElsewhere(plane, made.id);
    const r = await megan.json(["approve", made.id, "--justification", "Fine by me"]);
    if (plane === "azure") {
      expect(r.code).toBe(2);
      expect(r.body).toMatchObject({ error: { kind: "not-found", requestId: made.id } });
    } else {
      expect(r.code).toBe(10);
      expect(r.body).toEqual({
        error: {
          kind: "conflict",
          message: `Request ${made.id} no longer waits for approval (it is Provisioned). Nothing was sent.`,
          requestId: made.id,
          status: "Provisioned",
        },
      });
    }
    expect(await decisionsSent()).toEqual([]);
  });

  it("another approver decides while my decision is on its way: exit 10, the engine's message", async () => {
    const made = await requestAsAdele(emu, plane);
    // PIM holds the decision for 3 s; the other approver decides meanwhile.
    await emu.control.addFaults([{ kind: "latency", minMs: 3000, method: "PATCH", count: 1 }]);
    const run = megan.spawn(["approve", made.id, "--justification", "Fine by me", "--json"]);
    for (let i = 0; i < 200 && (await emu.control.listFaults()).rules.length; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await emu.control.listFaults()).rules).toEqual([]);
    await decideElsewhere(plane, made.id);
    const r = await run.result;
    expect(r.code).toBe(10);
    const body = lastJson(r.stdout) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ kind: "conflict", requestId: made.id, plane });
    // Who decided, where PIM recorded it on the stage (the emulator's control decision on a group request settles
    // the request without a reviewer on the stage: then the engine can say only that it no longer waits for you).
    const who =
      plane === "group"
        ? "(was already approved by .+ at \\d\\d:\\d\\d UTC|no longer waits for you \\(it was decided, cancelled, or its open stage is another approver's\\))"
        : "was already approved by .+ at \\d\\d:\\d\\d UTC";
    expect(String(body.error.message)).toMatch(
      new RegExp(`^${APPROVAL_LABELS[plane].replace(/[()]/g, "\\$&")} for Adele Vance ${who}\\. Nothing was sent\\.$`),
    );
    // One decision reached PIM and was refused there (409); it was not sent again.
    expect((await decisionsSent()).map((d) => d.status)).toEqual([409]);
    expect(await statusOf(plane, made.id)).toBe("Provisioned");
  });

  it("a self-approval is refused: Adele cannot approve her own request", async () => {
    const made = await requestAsAdele(emu, plane);
    const r = await adele.run(["approve", made.id, "--justification", "I trust me"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      plane === "azure"
        ? /No request .* waits for your approval/
        : /waits for approval, but not from you: you are not an approver of its open stage, or it is your own request/,
    );
    expect(await decisionsSent()).toEqual([]);
    expect(await statusOf(plane, made.id)).toBe("PendingApproval");
  });

  it("a non-approver is refused: Alex", async () => {
    const made = await requestAsAdele(emu, plane);
    const r = await alex.json(["deny", made.id, "--justification", "Not on my watch"]);
    expect(r.code).toBe(2);
    expect(r.body).toMatchObject({ error: { kind: "not-found", requestId: made.id } });
    expect(await decisionsSent()).toEqual([]);
    expect(await statusOf(plane, made.id)).toBe("PendingApproval");
  });
});

describe("refusals before any request", () => {
  it("--justification is required (exit 2), and an unknown request id is exit 2", { timeout: 60_000 }, async () => {
    const made = await requestAsAdele(emu, "group");
    for (const args of [
      ["approve", made.id],
      ["deny", made.id, "--justification", "   "],
    ]) {
      const r = await megan.json(args);
      expect(r.code).toBe(2);
      expect(r.body).toEqual({
        error: {
          kind: "usage",
          message: expect.stringMatching(/^Give a reason to (approve|deny) with --justification TEXT/),
        },
      });
    }
    const missing = await megan.run(["approve"]);
    expect(missing.code).toBe(2);
    const kind = await megan.run(["approve", made.id, "--justification", "x", "--kind", "planet"]);
    expect([kind.code, kind.stderr]).toEqual([2, expect.stringContaining("--kind takes group, role or azure")]);
    expect(await emu.control.requests()).toEqual([]);

    const unknown = await megan.run(["approve", "00000000-0000-4000-8000-000000000000", "--justification", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No request 00000000-0000-4000-8000-000000000000 waits for your approval");
    expect(await decisionsSent()).toEqual([]);
    expect(await statusOf("group", made.id)).toBe("PendingApproval");
  });

  it("--kind looks on one plane only: the group request is not found among Azure's", async () => {
    const made = await requestAsAdele(emu, "group");
    const r = await megan.run(["approve", made.id, "--kind", "azure", "--justification", "x"]);
    expect(r.code).toBe(2);
    expect(await decisionsSent()).toEqual([]);
    const ok = await megan.run(["approve", made.id, "--kind", "group", "--justification", "x"]);
    expect(ok.code).toBe(0);
  });
});

describe("serial (multi-stage) approval", () => {
  it(
    "groups: Tenant Admins (owner) needs Megan, then a Security Reviewer; the output says stage 2 waits",
    { timeout: 60_000 },
    async () => {
      // Alex asks; stage 2's approvers are Security Reviewers (Adele and Alex), so Adele decides it.
      const made = await requestDemoApproval(emu, "groupSerial", { justification: "Rotate the break-glass owner" });
      const list = await megan.run(["approvals"]);
      expect(list.stdout).toMatch(
        new RegExp(`^${made.id}  Alex Wilber asks for Tenant Admins \\(owner\\).* Stage 1 of 2\\.$`, "m"),
      );
      const one = await megan.json(["approve", made.id, "--justification", "Stage one ok"]);
      expect(one.code).toBe(0);
      expect(one.body).toMatchObject({
        requestId: made.id,
        kind: "group",
        decision: "Approve",
        requestStatus: "PendingApproval",
        stage: { index: 1, count: 2 },
        nextStage: { index: 2, count: 2 },
      });
      expect(await statusOf("group", made.id)).toBe("PendingApproval");
      // Stage 2 is Adele's now, and no longer Megan's.
      expect((await megan.json<unknown[]>(["approvals"])).body).toEqual([]);
      const two = await adele.run(["approvals"]);
      expect(two.stdout).toMatch(
        new RegExp(`^${made.id}  Alex Wilber asks for Tenant Admins \\(owner\\).* Stage 2 of 2\\.$`, "m"),
      );
      const done = await adele.run(["approve", made.id, "--justification", "Second look ok"]);
      expect(done.code).toBe(0);
      expect(done.stdout.trim()).toBe("Approved Tenant Admins (owner) for Alex Wilber. The request is Provisioned.");
      expect(await statusOf("group", made.id)).toBe("Provisioned");
    },
  );

  it("Azure: Owner on the key vault needs Megan, then a Security Reviewer (Alex)", async () => {
    const made = await requestDemoApproval(emu, "azureSerial", { justification: "Vault key rotation" });
    const one = await megan.run(["approve", made.id, "--justification", "Stage one ok"]);
    expect(one.code).toBe(0);
    expect(one.stdout.trim()).toBe(
      "Approved Owner on kv-prod-secrets for Adele Vance. It now waits for stage 2 of 2: its approvers decide next.",
    );
    expect(await statusOf("azure", made.id)).toBe("PendingApproval");
    const list = await alex.json<Array<{ requestId: string; stage: unknown }>>(["approvals"]);
    expect(list.body).toEqual([expect.objectContaining({ requestId: made.id, stage: { index: 2, count: 2 } })]);
    const two = await alex.json(["approve", made.id, "--justification", "Second look ok"]);
    expect(two.code).toBe(0);
    // ARM does not let an approver read the settled request back: the status after the last stage is not known.
    expect(two.body).toMatchObject({
      decision: "Approve",
      requestStatus: null,
      stage: { index: 2, count: 2 },
      nextStage: null,
    });
    expect(await statusOf("azure", made.id)).toBe("Provisioned");
  });

  it("Entra ID roles are single-stage in PIM: Groups Administrator is approved by any member of PIM Approvers, once", async () => {
    // Microsoft documents no multi-stage approval for directory roles; a role's approval always has one step.
    const made = await requestDemoApproval(emu, "roleByGroup", { justification: "Clean up stale groups" });
    const list = await megan.json<Array<{ requestId: string; stage: unknown }>>(["approvals", "--kind", "role"]);
    expect(list.body).toEqual([expect.objectContaining({ requestId: made.id, stage: { index: 1, count: 1 } })]);
    const r = await megan.run(["approve", made.id, "--justification", "Member of PIM Approvers"]);
    expect(r.stdout.trim()).toBe("Approved Groups Administrator for Alex Wilber. The request is Provisioned.");
    expect(await statusOf("role", made.id)).toBe("Provisioned");
  });
});
