// --use-system-ca (and PIMTRAY_USE_SYSTEM_CA=1): the emulator's certificate comes from a CA that is not among
// Node's roots, as a TLS-inspecting proxy's does. Without the flag the real CLI refuses it; with it, and that
// CA placed in the "system store" (SSL_CERT_FILE and SSL_CERT_DIR, which system-ca reads on Linux as OpenSSL
// does; the real system store is never touched), sign-in, Graph and ARM work, directly and through a proxy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { createProxy } from "proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSystemStore, useSystemCa, withSystemTrust } from "../../electron/cli/system-ca.js";
import { CliHarness } from "../helpers/cli.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let cli: CliHarness;
let scratch: string;
let emptyDir: string;
let proxy: Server;
const tunnels: string[] = [];

/** Node's own store only: the emulator's CA is not in NODE_EXTRA_CA_CERTS. The OS store is the emulator's CA alone. */
const store = () => ({ NODE_EXTRA_CA_CERTS: "", SSL_CERT_FILE: emu.caCertPath, SSL_CERT_DIR: emptyDir });

beforeAll(async () => {
  emu = await startTestEmulator();
  cli = new CliHarness(emu);
  scratch = mkdtempSync(join(tmpdir(), "pimtray-sysca-"));
  emptyDir = join(scratch, "no-certs");
  rmSync(emptyDir, { recursive: true, force: true });
  mkdirSync(emptyDir);
  proxy = createProxy(createHttpServer());
  proxy.on("connect", (req: { url?: string }) => tunnels.push(String(req.url)));
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
});

afterAll(async () => {
  if (process.platform === "linux") cli.expectNoSecrets(expect);
  cli.cleanup();
  rmSync(scratch, { recursive: true, force: true });
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await emu.stop();
});

// The "system store" is made from SSL_CERT_FILE and SSL_CERT_DIR, which only Linux's reader honours; on Windows
// and macOS the real store would be read, and a test must not install a CA there.
const linux = process.platform === "linux";

describe.runIf(linux)("a certificate from a CA outside Node's roots", () => {
  it("is refused without --use-system-ca: sign-in fails, and no request reaches the server", async () => {
    await emu.control.clearRequests();
    const r = await cli.run(["login", "--device-code"], store());
    expect(r.code).not.toBe(0);
    expect(await emu.control.requests()).toEqual([]);
  });

  it("doctor says why and what to do: the certificate is not trusted here; --use-system-ca", async () => {
    const r = await cli.run(["doctor", "--json"], store());
    expect(r.code).toBe(11);
    const report = JSON.parse(r.stdout);
    const check = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    expect(check("reach.signin").status).toBe("fail");
    expect([
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "SELF_SIGNED_CERT_IN_CHAIN",
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    ]).toContain(check("reach.signin").data.errorCode);
    expect(check("tls.inspection").status).toBe("fail");
    expect(check("tls.inspection").fix).toContain("--use-system-ca");
  });

  it("is trusted with --use-system-ca when the OS store holds its CA: sign-in, Graph and ARM work", async () => {
    const login = await cli.run(["login", "--device-code", "--use-system-ca"], store());
    expect(login.code, login.stderr).toBe(0);
    await emu.control.clearRequests();
    const status = await cli.run(["status", "--json", "--use-system-ca"], store());
    expect(status.code, status.stderr).toBe(0);
    const paths = (await emu.control.requests()).map((e) => e.path);
    expect(paths.some((p) => p.startsWith("/v1.0/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("/arm/"))).toBe(true);
  });

  it("PIMTRAY_USE_SYSTEM_CA=1 does the same, and doctor shows the store in use", async () => {
    const r = await cli.run(["doctor", "--json"], { ...store(), PIMTRAY_USE_SYSTEM_CA: "1" });
    expect(r.code, r.stdout).toBe(0);
    const report = JSON.parse(r.stdout);
    const check = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    expect(check("trust-store")).toMatchObject({ status: "ok", data: { certificates: 1 } });
    for (const id of ["reach.signin", "reach.graph", "reach.arm"]) expect(check(id).status, id).toBe("ok");
    expect(check("tls.inspection").status).toBe("ok");
  });

  it("is trusted through a proxy too (the TLS session inside the tunnel)", async () => {
    tunnels.length = 0;
    const port = (proxy.address() as AddressInfo).port;
    const r = await cli.run(["status", "--json", "--use-system-ca"], {
      ...store(),
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(tunnels).toContain(new URL(emu.origin).host);
  });

  it("an OS store with no certificates is exit 8 with what to do instead", async () => {
    const empty = join(scratch, "empty.pem");
    writeFileSync(empty, "no certificates here\n");
    const r = await cli.run(["status", "--use-system-ca"], { ...store(), SSL_CERT_FILE: empty });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain("NODE_EXTRA_CA_CERTS");
  });
});

describe.runIf(linux)("the trusted list with the OS store", () => {
  it("keeps Node's Mozilla roots and NODE_EXTRA_CA_CERTS, and adds the OS store", async () => {
    const extra = join(scratch, "extra.pem");
    writeFileSync(extra, emu.caPem);
    const env = { SSL_CERT_FILE: emu.caCertPath, SSL_CERT_DIR: emptyDir };
    expect(await readSystemStore(env)).toHaveLength(1);
    expect(withSystemTrust(undefined)).toBeUndefined();
    expect(await useSystemCa(env)).toBe(1);
    const list = withSystemTrust(undefined, { NODE_EXTRA_CA_CERTS: extra }) ?? [];
    for (const root of rootCertificates) expect(list).toContain(root);
    expect(list.some((c) => c.trim() === emu.caPem.trim())).toBe(true);
    expect(list.length).toBe(rootCertificates.length + 1);
  });
});
