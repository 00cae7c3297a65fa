// The three planes found silently: a plane without consent, unreachable, slow or turned off is a
// one-line status, never a prompt, a failure of the others, or a long wait.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { kindOf, type PlaneKind } from "../../../electron/engine/planes/targets.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";
import { resolveConnection, DEFAULT_CLIENT_ID } from "../../../electron/engine/config.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
let prompts = 0;

beforeAll(async () => {
  emu = await startTestEmulator({
    settings: { provisioningDelayMs: 0, deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 },
  });
  dir = mkdtempSync(join(tmpdir(), "pimtray-planes-status-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

/** An engine signed in as Adele; sign-in prompts after that are counted. */
async function engine(armEndpoint: string | null, extra: Parameters<typeof engineAgainst>[2] = {}): Promise<Engine> {
  const e = await engineAgainst(emu, dir, {
    ...extra,
    overrides: {
      connection: resolveConnection({
        cloud: "global",
        tenant: emu.tenantId,
        clientId: DEFAULT_CLIENT_ID,
        authorityHost: emu.origin,
        graphEndpoint: emu.origin,
        ...(armEndpoint ? { armEndpoint } : {}),
      }),
      ui: {
        showDeviceCode: () => {
          prompts++;
        },
      },
      ...extra.overrides,
    },
  });
  prompts = 0;
  return e;
}

const kinds = (list: Array<{ kind?: PlaneKind }>) => [...new Set(list.map(kindOf))].sort();
const state = (e: Engine, k: PlaneKind) => e.planes.status().find((s) => s.kind === k);

describe("planes found silently", () => {
  it("with every plane consented, eligibilities come from all three, each with a count", async () => {
    const e = await engine(emu.armBaseUrl);
    expect(kinds(await e.planes.eligibilities())).toEqual(["azure", "group", "role"]);
    for (const k of ["group", "role", "azure"] as const) {
      expect(state(e, k)?.state).toBe("ok");
      expect(state(e, k)?.count).toBeGreaterThan(0);
    }
  });

  it("ARM consent missing: groups and roles answer, Azure says what an administrator must grant, no prompt", async () => {
    const e = await engine(emu.armBaseUrl);
    await emu.control.configure({ consentNotGrantedForArm: ["*"] });
    try {
      const list = await e.planes.eligibilities();
      expect(kinds(list)).toEqual(["group", "role"]);
      const azure = state(e, "azure");
      expect(azure?.state).toBe("needs-consent");
      expect(azure?.note).toMatch(/^Azure roles: needs consent: an administrator must grant .*management\.azure\.com/);
      expect(prompts).toBe(0);
    } finally {
      await emu.control.configure({ consentNotGrantedForArm: [] });
    }
  });

  it("ARM unreachable (nothing listens): groups and roles answer, Azure is 'unreachable'", async () => {
    const closed = await closedPort();
    const e = await engine(`https://127.0.0.1:${closed}/arm`, {
      overrides: { armHttp: { maxAttempts: 1 } },
    });
    expect(kinds(await e.planes.eligibilities())).toEqual(["group", "role"]);
    expect(state(e, "azure")?.state).toBe("unreachable");
    expect(state(e, "azure")?.note).toMatch(/^Azure roles: unreachable/);
  });

  it("ARM accepts the connection but never answers: the others are not held up past the wait cap", async () => {
    const silent = await blackHole();
    try {
      const e = await engine(`https://127.0.0.1:${silent.port}/arm`, { overrides: { slowPlaneMs: 300 } });
      const list = await e.planes.eligibilities();
      expect(kinds(list)).toEqual(["group", "role"]);
      expect(state(e, "azure")?.note).toBe("Azure roles: unreachable (no answer in time)");
    } finally {
      silent.server.close();
    }
  });

  it("groups slower than the wait cap are waited for: the cap is for the optional planes", async () => {
    const e = await engine(emu.armBaseUrl, { overrides: { slowPlaneMs: 100 } });
    await emu.control.addFaults([{ kind: "latency", minMs: 800, path: "/identityGovernance/privilegedAccess/group" }]);
    try {
      expect(kinds(await e.planes.eligibilities())).toEqual(["azure", "group", "role"]);
      expect(state(e, "group")?.state).toBe("ok");
    } finally {
      await emu.control.clearFaults();
    }
  });

  it("what the lifecycle learns of a plane shows in its status, so the popup's badge follows", async () => {
    const e = await engine(emu.armBaseUrl);
    await e.planes.eligibilities();
    expect(state(e, "azure")?.state).toBe("ok");
    // ARM refuses the caller (as it does once a permission is withdrawn).
    await emu.control.addFaults([{ kind: "status", status: 403, path: "/arm/" }]);
    try {
      const closedPlane = await e.planes
        .for("azure")
        .activeAssignments()
        .then(
          () => null,
          (err: unknown) => err,
        );
      e.planes.report("azure", closedPlane);
      expect(closedPlane).not.toBeNull();
      expect(state(e, "azure")?.state).toBe("needs-consent");
    } finally {
      await emu.control.clearFaults();
    }
    e.planes.report("azure", null);
    expect(state(e, "azure")).toMatchObject({ state: "ok", note: null });
  });

  it("a plane turned off is never asked", async () => {
    const e = await engine(emu.armBaseUrl, {
      overrides: { planesEnabled: async () => ({ group: true, role: true, azure: false }) },
    });
    const before = emu.emulator.log.lastSeq;
    expect(kinds(await e.planes.eligibilities())).toEqual(["group", "role"]);
    expect(emu.emulator.log.since(before).filter((r) => r.path.startsWith("/arm"))).toEqual([]);
    expect(state(e, "azure")?.state).toBe("off");
  });

  it("a custom Graph endpoint without an ARM endpoint sends nothing to ARM and says why", async () => {
    const e = await engine(null);
    expect(kinds(await e.planes.eligibilities())).toEqual(["group", "role"]);
    expect(state(e, "azure")).toMatchObject({ state: "off" });
    expect(state(e, "azure")?.note).toMatch(/--arm-endpoint/);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A TCP server that accepts connections and never says a word (a dropped firewall rule looks like this). */
function blackHole(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.on("error", () => undefined));
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}
