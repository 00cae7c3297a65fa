// Input limits and terminal hygiene through `pimtray`: checked before anything is sent, and what
// Graph names a group never drives the user's terminal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../emulator/index.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../../electron/engine/limits.js";
import { CliHarness, endCliSuite, POST_REQUESTS, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

// OSC (window title), erase-screen, an SGR colour, a C1 CSI, DEL, carriage return and backspace.
const HOSTILE_NAME = "Ops\x1b]0;pwned\x07 Team\x1b[2J\x1b[31m Red\x9b\x7f\r\b!";
const HOSTILE_ID = "e5c0a1b2-0000-4000-8000-00000000e5c0";
// Any C0 control except tab and newline, DEL, and any C1 control.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 0 }));
  const tenant = emu.emulator.pim.tenant;
  tenant.groups.push({
    id: HOSTILE_ID,
    displayName: HOSTILE_NAME,
    description: "control characters in the name",
    mailNickname: "hostile",
    mail: null,
  });
  const created = new Date(Date.now() - 86_400_000).toISOString();
  tenant.eligibilities.push({
    id: `${HOSTILE_ID}_member`,
    groupId: HOSTILE_ID,
    principalId: DEMO_USERS.adele,
    accessId: "member",
    memberType: "direct",
    startDateTime: created,
    endDateTime: null,
    createdDateTime: created,
  });
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(() => resetPim(emu));

const posts = async () => (await emu.control.requests()).filter((e) => e.method === "POST" && e.path === POST_REQUESTS);

describe("justification and ticket limits", () => {
  it(`a --justification of ${JUSTIFICATION_MAX + 1} characters is refused with the usage exit code before anything is sent`, async () => {
    const r = await cli.run([
      "activate",
      "Finance Admins",
      "--duration",
      "1h",
      "--justification",
      "x".repeat(JUSTIFICATION_MAX + 1),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`at most ${JUSTIFICATION_MAX} characters`);
    expect(r.stderr).toContain(`${JUSTIFICATION_MAX + 1}`);
    expect(await posts()).toHaveLength(0);
  });

  it(`exactly ${JUSTIFICATION_MAX} characters is activated, and remembered as the last justification`, async () => {
    const r = await cli.json([
      "activate",
      "Finance Admins",
      "--duration",
      "1h",
      "--justification",
      "y".repeat(JUSTIFICATION_MAX),
    ]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("active");
    expect(((await posts())[0]?.body as { justification: string }).justification).toHaveLength(JUSTIFICATION_MAX);
    const settings = JSON.parse(readFileSync(join(cli.configDir, "settings.json"), "utf8")) as {
      lastJustification?: string;
    };
    expect(settings.lastJustification).toHaveLength(JUSTIFICATION_MAX);
    await cli.run(["deactivate", "Finance Admins"]);
  });

  it("a ticket number or system over its limit is refused before anything is sent", async () => {
    const number = await cli.run([
      "activate",
      "Production Deploy",
      "--duration",
      "1h",
      "--justification",
      "deploy",
      "--ticket",
      `ServiceNow:${"9".repeat(TICKET_LIMITS.number + 1)}`,
    ]);
    expect(number.code).toBe(2);
    expect(number.stderr).toContain(`at most ${TICKET_LIMITS.number} characters`);
    const system = await cli.run([
      "activate",
      "Production Deploy",
      "--duration",
      "1h",
      "--justification",
      "deploy",
      "--ticket",
      `${"S".repeat(TICKET_LIMITS.system + 1)}:INC1`,
    ]);
    expect(system.code).toBe(2);
    expect(system.stderr).toContain(`at most ${TICKET_LIMITS.system} characters`);
    expect(await posts()).toHaveLength(0);
  });

  it("a profile cannot hold a justification over the limit", async () => {
    const r = await cli.run([
      "profile",
      "add",
      "Long",
      "--group",
      "Finance Admins",
      "--justification",
      "z".repeat(JUSTIFICATION_MAX + 1),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`at most ${JUSTIFICATION_MAX} characters`);
  });
});

describe("names from Graph on a terminal", () => {
  it("`pimtray eligible` prints the name without its control characters", async () => {
    const r = await cli.run(["eligible"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stdout).toContain("Ops Team Red!");
  });

  it("--json keeps the name as Graph sent it, with every control character escaped", async () => {
    const r = await cli.run(["eligible", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    const row = (
      JSON.parse(r.stdout) as { eligibilities: Array<{ groupId: string; groupName: string }> }
    ).eligibilities.find((e) => e.groupId === HOSTILE_ID);
    expect(row?.groupName).toBe(HOSTILE_NAME);
  });

  it("activation progress and outcome lines are clean too", async () => {
    const r = await cli.run(["activate", HOSTILE_ID, "--duration", "1h", "--justification", "names"]);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    expect(r.stdout).toContain("Ops Team Red! (member) is active");
  });
});
