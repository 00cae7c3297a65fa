// Issue 13, "Proxy, tested for real": the real pimtray CLI, through a real HTTP CONNECT proxy (the `proxy`
// package, on port 0) that records every tunnel it opens, against the emulator over HTTPS with the real MSAL.
// Sign-in (the device code and token endpoints), Graph and ARM all go through it; with the proxy down the CLI
// fails and says so; with NO_PROXY covering the emulator, nothing goes through it.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createProxy } from "proxy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliHarness } from "../helpers/cli.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let cli: CliHarness;
let proxy: Server;
let proxyUrl: string;
let deadProxyUrl: string;
/** Every CONNECT target the proxy was asked for, in order. */
const tunnels: string[] = [];

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  emu = await startTestEmulator();
  cli = new CliHarness(emu);
  proxy = createProxy(createHttpServer());
  proxy.on("connect", (req: { url?: string }) => tunnels.push(String(req.url)));
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  const dead = createHttpServer();
  deadProxyUrl = `http://127.0.0.1:${await listen(dead)}`;
  await new Promise((r) => dead.close(r));
});

afterAll(async () => {
  cli.expectNoSecrets(expect);
  cli.cleanup();
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await emu.stop();
});

beforeEach(async () => {
  tunnels.length = 0;
  await emu.control.clearRequests();
});

const emulatorHost = () => new URL(emu.origin).host;
const paths = async () => (await emu.control.requests()).map((e) => `${e.method} ${e.path}`);

describe("through HTTPS_PROXY", () => {
  it("signs in through the proxy: the device code and token endpoints are reached through its tunnels", async () => {
    await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
    const r = await cli.run(["login", "--device-code"], { HTTPS_PROXY: proxyUrl });
    expect(r.code, r.stderr).toBe(0);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([emulatorHost()]));
    const seen = await paths();
    expect(
      seen.some((p) => /^POST .*\/oauth2\/v2\.0\/devicecode$/.test(p)),
      seen.join("\n"),
    ).toBe(true);
    expect(
      seen.some((p) => /^POST .*\/oauth2\/v2\.0\/token$/.test(p)),
      seen.join("\n"),
    ).toBe(true);
  });

  it("reads Graph and Azure Resource Manager through the proxy (status on every plane)", async () => {
    // Twice: the first run mints the Entra ID role and Azure tokens (through the proxy too).
    for (let i = 0; i < 2; i++) {
      tunnels.length = 0;
      await emu.control.clearRequests();
      const r = await cli.run(["status", "--json"], { HTTPS_PROXY: proxyUrl });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([emulatorHost()]));
    const seen = await paths();
    // Status reads each Graph plane's lists in one $batch.
    expect(seen.some((p) => p === "POST /v1.0/$batch")).toBe(true);
    expect(seen.some((p) => p.startsWith("GET /arm/"))).toBe(true);
  });

  it("reports what the doctor sees: the proxy, and each endpoint reached through it", async () => {
    const r = await cli.run(["doctor", "--json"], { HTTPS_PROXY: proxyUrl });
    const report = JSON.parse(r.stdout);
    const check = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    expect(check("proxy").detail).toContain(`through ${proxyUrl}`);
    for (const id of ["reach.signin", "reach.graph", "reach.arm"]) {
      expect(check(id).status, id).toBe("ok");
      expect(check(id).data.proxy).toBe(proxyUrl);
    }
    expect(tunnels.length).toBeGreaterThan(0);
  });
});

describe("with the proxy down", () => {
  it("reads no plane: Graph and ARM fail with the proxy named (exit 7)", async () => {
    const r = await cli.run(["status"], { HTTPS_PROXY: deadProxyUrl });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(deadProxyUrl);
    expect(await paths()).toEqual([]);
  });

  it("fails to sign in: the sign-in service could not be reached, and the log names the proxy", async () => {
    const r = await cli.run(["login", "--device-code", "--no-interactive"], { HTTPS_PROXY: deadProxyUrl });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain("the sign-in service could not be reached");
    expect(readFileSync(join(cli.configDir, "pimtray.log"), "utf8")).toContain(
      `the proxy ${deadProxyUrl} could not be reached`,
    );
    expect(await paths()).toEqual([]);
  });

  it("doctor fails each endpoint with the proxy's address in its fix", async () => {
    const r = await cli.run(["doctor", "--json"], { HTTPS_PROXY: deadProxyUrl });
    expect(r.code).toBe(11);
    const report = JSON.parse(r.stdout);
    const graph = report.checks.find((c: { id: string }) => c.id === "reach.graph");
    expect(graph.status).toBe("fail");
    expect(graph.fix).toContain(deadProxyUrl);
  });
});

describe("with NO_PROXY covering the emulator", () => {
  it("signs in and reads every plane directly: nothing goes through the proxy", async () => {
    const env = { HTTPS_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" };
    const status = await cli.run(["status", "--json"], env);
    expect(status.code, status.stderr).toBe(0);
    const seen = await paths();
    expect(seen.some((p) => p === "POST /v1.0/$batch")).toBe(true);
    expect(seen.some((p) => p.startsWith("GET /arm/"))).toBe(true);
    await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
    const login = await cli.run(["login", "--device-code"], env);
    expect(login.code, login.stderr).toBe(0);
    expect(tunnels).toEqual([]);
  });
});
