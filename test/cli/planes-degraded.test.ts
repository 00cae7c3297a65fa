// `pimtray` against the emulator over HTTPS, real MSAL inside: an optional plane that lacks consent or
// cannot be reached costs one note line, never the groups or the exit code; the ARM endpoint comes
// from --arm-endpoint or PIMTRAY_ARM_ENDPOINT; `login --plane azure` asks for Azure's scope alone.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliHarness, endCliSuite, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 0 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(async () => {
  resetPim(emu);
  await emu.control.configure({ consentNotGrantedForArm: [], deviceCodeAutoApprove: null });
});

type Item = Record<string, any>;

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const notes = (stderr: string, word: string) =>
  stderr.split("\n").filter((l) => l.startsWith("Azure roles:") && l.includes(word));

describe("Azure Resource Manager not consented", () => {
  it("groups and roles are still listed, one note line says what to grant, exit 0, no prompt", async () => {
    await emu.control.configure({ consentNotGrantedForArm: ["*"] });
    const r = await cli.run(["eligible"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP\s+ROLE\s+MAX\s+APPROVAL/m);
    expect(r.stdout).toMatch(/^Entra ID roles$/m);
    expect(r.stdout).not.toMatch(/^Azure roles$/m);
    expect(notes(r.stderr, "needs consent")).toHaveLength(1);
    expect(r.stderr).toContain("pimtray login --plane azure");
    // No device code, no browser: the optional plane is tried silently.
    expect(r.stderr).not.toMatch(/enter the code|Opening your browser/i);
    expect((await emu.control.pendingDeviceCodes()).length).toBe(0);

    const j = await cli.json(["eligible"]);
    expect(j.code).toBe(0);
    expect((j.body.eligibilities as Item[]).some((e) => e.kind === "group")).toBe(true);
    expect((j.body.eligibilities as Item[]).some((e) => e.kind === "azure")).toBe(false);
    expect((j.body.planes as Item[]).find((p) => p.kind === "azure")).toMatchObject({
      state: "needs-consent",
      count: null,
      note: expect.stringContaining("Azure roles: needs consent"),
    });
    const status = await cli.run(["status"]);
    expect(status.code).toBe(0);
    expect(notes(status.stderr, "needs consent")).toHaveLength(1);
  });

  it("`login --plane azure` asks for Azure Resource Manager's scope alone; with consent there, Azure roles are back", async () => {
    await emu.control.clearRequests();
    await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
    const r = await cli.run(["login", "--plane", "azure", "--device-code"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Azure roles: signed in as adele@");
    const asked = (await emu.control.requests())
      .filter((q) => q.method === "POST" && q.path.endsWith("/devicecode"))
      .map((q) => String((q.body as Record<string, string>).scope));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("https://management.azure.com/.default");
    expect(asked[0]).not.toContain("PrivilegedAccess");
    const j = await cli.json(["eligible", "--kind", "azure"]);
    expect(j.code).toBe(0);
    expect((j.body.eligibilities as Item[]).length).toBeGreaterThan(0);
    expect(j.body.planes).toEqual([{ kind: "azure", state: "ok", note: null, count: j.body.eligibilities.length }]);
    const bad = await cli.run(["login", "--plane", "moon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--plane takes group, role or azure");
  });
});

describe("the ARM endpoint", () => {
  it("unreachable (--arm-endpoint to a closed port): groups listed, one note line, exit 0", async () => {
    const port = await closedPort();
    const r = await cli.run(["eligible", "--arm-endpoint", `https://127.0.0.1:${port}/arm`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP\s+ROLE\s+MAX\s+APPROVAL/m);
    expect(r.stdout).not.toMatch(/^Azure roles$/m);
    expect(notes(r.stderr, "unreachable")).toHaveLength(1);
    const j = await cli.json(["status", "--arm-endpoint", `https://127.0.0.1:${port}/arm`]);
    expect(j.code).toBe(0);
    expect((j.body.planes as Item[]).find((p) => p.kind === "azure")?.state).toBe("unreachable");
  });

  it("PIMTRAY_ARM_ENDPOINT is honoured, --arm-endpoint wins over it, and without either a custom tenant has no Azure", async () => {
    const port = await closedPort();
    const viaEnv = await cli.run(["eligible", "--kind", "azure", "--json"], {
      PIMTRAY_ARM_ENDPOINT: `https://127.0.0.1:${port}/arm`,
    });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout).planes[0].state).toBe("unreachable");

    const both = await cli.run(["eligible", "--kind", "azure", "--json", "--arm-endpoint", emu.armBaseUrl], {
      PIMTRAY_ARM_ENDPOINT: `https://127.0.0.1:${port}/arm`,
    });
    expect(both.code).toBe(0);
    const body = JSON.parse(both.stdout);
    expect(body.planes[0].state).toBe("ok");
    expect(body.eligibilities.length).toBeGreaterThan(0);

    const who = await cli.run(["whoami", "--json"], { PIMTRAY_ARM_ENDPOINT: `https://127.0.0.1:${port}/arm` });
    expect(JSON.parse(who.stdout).armBaseUrl).toBe(`https://127.0.0.1:${port}/arm`);

    // The emulator's sign-in is a custom authority: its tokens never go to the real ARM.
    const none = await cli.run(["eligible", "--json"], { PIMTRAY_ARM_ENDPOINT: "" });
    expect(none.code).toBe(0);
    const off = JSON.parse(none.stdout).planes.find((p: Item) => p.kind === "azure");
    expect(off).toMatchObject({ state: "off", note: expect.stringContaining("--arm-endpoint") });
  });

  it("an http ARM endpoint is a usage error before anything is sent", async () => {
    const r = await cli.run(["eligible", "--arm-endpoint", "http://127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must use https");
  });
});
