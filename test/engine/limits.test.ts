import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { table, terminalSafe, type Out } from "../../electron/cli/output.js";
import type { Engine } from "../../electron/engine/engine.js";
import { UsageError } from "../../electron/engine/errors.js";
import { JUSTIFICATION_MAX, TICKET_LIMITS } from "../../electron/engine/limits.js";
import { CURRENT_SCHEMA_VERSION, settingsSchema } from "../../electron/engine/profiles/settings-schema.js";
import { validateRequest } from "../../electron/shared/ipc-contract.js";
import { DEMO_GROUPS } from "../../emulator/seed.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { engineAgainst } from "../helpers/engine.js";

const G = DEMO_GROUPS.financeAdmins;

describe("one justification limit and one set of ticket limits", () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let dir: string;
  let engine: Engine;

  beforeAll(async () => {
    emu = await startTestEmulator({ settings: { provisioningDelayMs: 0 } });
    dir = mkdtempSync(join(tmpdir(), "pimtray-limits-"));
    engine = await engineAgainst(emu, dir);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await emu.stop();
  });

  it("the engine refuses an over-long justification or ticket before any Graph call", async () => {
    emu.emulator.log.clear();
    const target = { groupId: G, accessId: "member" as const, groupName: "Finance Admins" };
    await expect(
      engine.activation.activate({ target, durationMs: 3_600_000, justification: "j".repeat(JUSTIFICATION_MAX + 1) }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      engine.activation.activate({
        target,
        durationMs: 3_600_000,
        justification: "ok",
        ticket: { system: "SN", number: "1".repeat(TICKET_LIMITS.number + 1) },
      }),
    ).rejects.toThrow(`at most ${TICKET_LIMITS.number} characters`);
    const graphCalls = (await emu.control.requests()).filter((e) => e.path.startsWith("/v1.0/"));
    expect(graphCalls).toEqual([]);
  });

  it("the IPC contract and the settings schema draw the line at the same place", () => {
    const activate = (justification: string, number = "INC1") =>
      validateRequest("pim:activate", {
        groupId: G,
        accessId: "member",
        durationMinutes: 60,
        justification,
        ticket: { system: "SN", number },
      });
    expect(activate("a".repeat(JUSTIFICATION_MAX)).ok).toBe(true);
    expect(activate("a".repeat(JUSTIFICATION_MAX + 1)).ok).toBe(false);
    expect(activate("a", "1".repeat(TICKET_LIMITS.number)).ok).toBe(true);
    expect(activate("a", "1".repeat(TICKET_LIMITS.number + 1)).ok).toBe(false);
    const settings = (justification: string) =>
      settingsSchema.safeParse({
        schemaVersion: CURRENT_SCHEMA_VERSION,
        profiles: [{ id: "p1", name: "P", targets: [{ groupId: G, accessId: "member" }], justification }],
      }).success;
    expect(settings("b".repeat(JUSTIFICATION_MAX))).toBe(true);
    expect(settings("b".repeat(JUSTIFICATION_MAX + 1))).toBe(false);
  });
});

describe("terminal output on a colour terminal", () => {
  const colourOut: Out = {
    json: false,
    color: true,
    tty: true,
    write() {},
    error() {},
    progress() {},
    clearProgress() {},
  };

  it("keeps our own colours and drops a name's escape codes, including colour codes in table cells", () => {
    expect(terminalSafe("\x1b[32m✓\x1b[0m Ops\x1b[8m hidden\x1b]8;;https://evil.example\x07link", true)).toBe(
      "\x1b[32m✓\x1b[0m Ops hiddenlink",
    );
    const out = table(["GROUP"], [["\x1b[31mRed\x1b[0m Team"]], colourOut);
    expect(out.split("\n")[1]).toBe("Red Team");
    expect(out.split("\n")[0]).toBe("\x1b[1mGROUP\x1b[0m");
  });
});
