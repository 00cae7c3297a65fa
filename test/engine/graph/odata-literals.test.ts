import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../../../electron/engine/config.js";
import type { Engine } from "../../../electron/engine/engine.js";
import { odataString } from "../../../electron/engine/graph/graph-client.js";
import { DEMO_USERS } from "../../../emulator/seed.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

// A group whose id and name hold a single quote. Real ids are GUIDs, but every $filter value is
// built the same way, and a value that breaks the literal breaks the whole request.
const QUOTED_ID = "0'neil00-0000-4000-8000-00000000q0te";
const QUOTED_NAME = "O'Neil's Ops";

describe("OData string literals", () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let dir: string;
  let engine: Engine;

  beforeAll(async () => {
    emu = await startTestEmulator({ settings: { provisioningDelayMs: 0 } });
    const tenant = emu.emulator.pim.tenant;
    tenant.groups.push({
      id: QUOTED_ID,
      displayName: QUOTED_NAME,
      description: "a quote in the id",
      mailNickname: "oneil-ops",
      mail: null,
    });
    const created = new Date(Date.now() - 86_400_000).toISOString();
    tenant.eligibilities.push({
      id: `${QUOTED_ID}_member`,
      groupId: QUOTED_ID,
      principalId: DEMO_USERS.adele,
      accessId: "member",
      memberType: "direct",
      startDateTime: created,
      endDateTime: null,
      createdDateTime: created,
    });
    dir = mkdtempSync(join(tmpdir(), "pimtray-odata-"));
    // With a group-read scope (an organisation's own registration), names fall back to /groups?$filter=id in (...).
    engine = await engineAgainst(emu, dir, {
      overrides: {
        connection: resolveConnection({
          cloud: "global",
          tenant: emu.tenantId,
          clientId: DEFAULT_CLIENT_ID,
          authorityHost: emu.origin,
          graphEndpoint: emu.origin,
          extraScopes: ["GroupMember.Read.All"],
        }),
      },
    });
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await emu.stop();
  });

  it("doubles a quote inside the literal", () => {
    expect(odataString("O'Neil's")).toBe("'O''Neil''s'");
    expect(odataString("plain")).toBe("'plain'");
  });

  it("the group's policy is read, not given up on as unreadable", async () => {
    const policy = await engine.pim.policy(QUOTED_ID, "member");
    expect(policy.known).toBe(true);
  });

  it("the name is looked up through $filter=id in (...) when $expand comes back empty", async () => {
    await emu.control.configure({ emptyGroupExpansion: true });
    try {
      const row = (await engine.pim.eligibilities()).find((e) => e.groupId === QUOTED_ID);
      expect(row?.groupName).toBe(QUOTED_NAME);
    } finally {
      await emu.control.configure({ emptyGroupExpansion: false });
    }
  });

  it("activation confirms the assignment through a $filter on the group id", async () => {
    const outcome = await engine.activation.activate({
      target: { groupId: QUOTED_ID, accessId: "member", groupName: QUOTED_NAME },
      durationMs: 3_600_000,
      justification: "quote round trip",
    });
    expect(outcome.error?.message ?? null).toBeNull();
    expect(outcome.status).toBe("active");
    const mine = await engine.pim.myRequests({ groupId: QUOTED_ID, accessId: "member" });
    expect(mine.map((r) => r.groupId)).toContain(QUOTED_ID);
  });

  it("no $filter in the Graph layer quotes a value by hand", () => {
    // The PIM client's filters live across the modules of the graph folder, so every one is read; graph-client.ts
    // is left out because odataString, the one place that quotes, lives there.
    const dir = join(process.cwd(), "electron/engine/graph");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "graph-client.ts");
    expect(files).toEqual(expect.arrayContaining(["pim-client.ts", "schedule-requests.ts", "policy-reader.ts"]));
    for (const f of files) {
      const source = readFileSync(join(dir, f), "utf8");
      expect(source, f).not.toMatch(/'\$\{/);
    }
  });
});
