// The network checks over real TLS: a local HTTPS server whose certificate comes from a CA Node does not
// trust (what a TLS-inspecting proxy presents), a server whose clock is off, a closed port, and a real
// CONNECT proxy in front. Nothing is mocked: the CLI's own fetch (node:https) and the TLS handshake run.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { createProxy } from "proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTls, type TlsMaterial } from "../../../emulator/certs.js";
import { httpsFetch } from "../../../electron/cli/https-fetch.js";
import {
  clockCheck,
  endpointCheck,
  inspectionCheck,
  proxyCheck,
} from "../../../electron/engine/diagnostics/checks-network.js";
import {
  bypassesProxy,
  proxyFromEnv,
  proxyFromSystem,
  withoutCredentials,
} from "../../../electron/engine/diagnostics/proxy-env.js";
import { reach } from "../../../electron/engine/diagnostics/reach.js";
import { tlsPeer } from "../../../electron/engine/diagnostics/tls-peer.js";

let dir: string;
let tlsMaterial: TlsMaterial;
let server: Server;
let origin: string;
/** How far the server's clock is off, in ms. */
let skewMs = 0;
let proxy: HttpServer;
let proxyUrl: string;
const tunnels: string[] = [];

function listen(s: Server | HttpServer): Promise<number> {
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-diag-"));
  tlsMaterial = ensureTls(dir);
  server = createServer({ cert: tlsMaterial.serverCertPem, key: tlsMaterial.serverKeyPem }, (_req, res) => {
    res.sendDate = false;
    res.writeHead(404, { date: new Date(Date.now() + skewMs).toUTCString(), "content-type": "text/plain" });
    res.end("not here");
  });
  origin = `https://127.0.0.1:${await listen(server)}`;
  proxy = createProxy(createHttpServer());
  proxy.on("connect", (req: { url?: string }) => tunnels.push(String(req.url)));
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  proxy.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => proxy.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const trusting = () => [...rootCertificates, tlsMaterial.caCertPem];

describe("a certificate from a CA this client does not trust (TLS inspection)", () => {
  it("is reported by its OpenSSL code and the issuer's name, and the fix names --use-system-ca and NODE_EXTRA_CA_CERTS", async () => {
    const r = await reach(origin, {
      fetch: httpsFetch({ ca: [...rootCertificates] }),
      peer: (u) => tlsPeer(u, { ca: [...rootCertificates] }),
    });
    expect(r.reached).toBe(false);
    expect([
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "SELF_SIGNED_CERT_IN_CHAIN",
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    ]).toContain(r.errorCode);
    expect(r.peer?.trusted).toBe(false);
    expect(r.peer?.issuer).toContain("PIM Tray Emulator Local CA");

    const endpoint = endpointCheck("graph", r, "cli");
    expect(endpoint.status).toBe("fail");
    expect(endpoint.detail).toContain(r.errorCode as string);
    expect(endpoint.detail).toContain("PIM Tray Emulator Local CA");
    const inspection = inspectionCheck([r], false, "cli");
    expect(inspection.status).toBe("fail");
    expect(inspection.detail).toContain("inspects HTTPS");
    expect(inspection.fix).toContain("--use-system-ca");
    expect(inspection.fix).toContain("NODE_EXTRA_CA_CERTS");
    // The app trusts the OS store already: its fix is to install the CA there.
    expect(inspectionCheck([r], false, "app").fix).toContain("trust store");
  });

  it("once trusted, works; a certificate not from Microsoft's CAs on Microsoft's endpoints is a warning", async () => {
    const r = await reach(origin, {
      fetch: httpsFetch({ ca: trusting() }),
      peer: (u) => tlsPeer(u, { ca: trusting() }),
    });
    expect(r.reached).toBe(true);
    expect(r.status).toBe(404);
    expect(r.peer?.trusted).toBe(true);
    expect(endpointCheck("signin", r, "cli").status).toBe("ok");
    expect(inspectionCheck([r], false, "cli").status).toBe("warn");
    // Custom endpoints (the emulator, a test tenant) have their own CA: not inspection.
    expect(inspectionCheck([r], true, "cli").status).toBe("ok");
  });
});

describe("the clock, against the server's Date header", () => {
  const at = async (offsetMs: number) => {
    skewMs = offsetMs;
    const r = await reach(origin, { fetch: httpsFetch({ ca: trusting() }) });
    skewMs = 0;
    return clockCheck([r]);
  };

  it("is ok within 2 minutes, a warning beyond, and fails beyond 5 (tokens are refused)", async () => {
    expect((await at(0)).status).toBe("ok");
    const warn = await at(3 * 60_000);
    expect(warn.status).toBe("warn");
    expect(warn.detail).toMatch(/3\.\d minutes behind/);
    const fail = await at(-10 * 60_000);
    expect(fail.status).toBe("fail");
    expect(fail.detail).toMatch(/10\.\d minutes ahead of/);
    expect(fail.fix).toContain("automatic date and time");
  });

  it("is skipped when no server answered", () => {
    expect(clockCheck([]).status).toBe("skip");
  });
});

describe("an endpoint that does not answer", () => {
  it("is ECONNREFUSED with a firewall and proxy fix", async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const r = await reach(`https://127.0.0.1:${port}/v1.0`, { fetch: httpsFetch({}) });
    expect(r.reached).toBe(false);
    expect(r.errorCode).toBe("ECONNREFUSED");
    const c = endpointCheck("arm", r, "cli");
    expect(c.status).toBe("fail");
    expect(c.fix).toContain("firewall");
    expect(c.fix).toContain("HTTPS_PROXY");
  });

  it("names the proxy when the request went through one", async () => {
    const r = await reach("https://127.0.0.1:1/", { fetch: httpsFetch({}), proxy: "http://proxy.contoso.com:3128" });
    expect(endpointCheck("graph", r, "cli").fix).toContain("proxy.contoso.com:3128");
  });
});

describe("through a CONNECT proxy", () => {
  it("reads the certificate through the tunnel, as the client's requests go", async () => {
    tunnels.length = 0;
    const peer = await tlsPeer(origin, { ca: trusting(), proxyUrl });
    expect(peer.trusted).toBe(true);
    expect(tunnels).toEqual([new URL(origin).host]);
  });

  it("says which endpoints go through it and which NO_PROXY sends directly; credentials never shown", () => {
    const setting = proxyFromEnv({
      HTTPS_PROXY: "http://alice:s3cret@proxy.contoso.com:3128",
      NO_PROXY: "login.microsoftonline.com",
    });
    expect(setting.url).toBe("http://proxy.contoso.com:3128");
    const r = (url: string, via: string | null) => ({
      url,
      reached: true,
      status: 200,
      ms: 1,
      at: Date.now(),
      serverDate: null,
      errorCode: null,
      error: null,
      peer: null,
      proxy: via,
    });
    const c = proxyCheck(setting, [
      r("https://login.microsoftonline.com/", null),
      r("https://graph.microsoft.com/", setting.url),
    ]);
    expect(c.detail).toContain("through http://proxy.contoso.com:3128");
    expect(c.detail).toContain("login.microsoftonline.com directly");
    expect(JSON.stringify(c)).not.toContain("s3cret");
    expect(withoutCredentials("proxy:8080")).toBe("http://proxy:8080");
  });

  it("matches NO_PROXY as curl and undici do", () => {
    expect(bypassesProxy("https://graph.microsoft.com/v1.0", ".microsoft.com")).toBe(true);
    expect(bypassesProxy("https://graph.microsoft.com/", "microsoft.com")).toBe(true);
    expect(bypassesProxy("https://graph.microsoft.com/", "*.microsoft.com")).toBe(true);
    expect(bypassesProxy("https://notmicrosoft.com/", "microsoft.com")).toBe(false);
    expect(bypassesProxy("https://127.0.0.1:8443/", "127.0.0.1")).toBe(true);
    expect(bypassesProxy("https://127.0.0.1:8443/", "127.0.0.1:9000")).toBe(false);
    expect(bypassesProxy("https://127.0.0.1:8443/", "127.0.0.1:8443")).toBe(true);
    expect(bypassesProxy("https://anything/", "*")).toBe(true);
    expect(bypassesProxy("https://anything/", null)).toBe(false);
    expect(bypassesProxy("https://[::1]:8443/", "::1")).toBe(true);
    expect(bypassesProxy("https://[::1]:8443/", "[::1]:8443")).toBe(true);
    expect(bypassesProxy("https://[::1]:8443/", "[::1]:9000")).toBe(false);
  });

  it("reads the app's system proxy as Chromium resolved it", () => {
    expect(proxyFromSystem("DIRECT")).toEqual({ source: "system", url: null, noProxy: null });
    expect(proxyFromSystem("PROXY proxy.contoso.com:3128; DIRECT").url).toBe("http://proxy.contoso.com:3128");
    expect(proxyFromSystem("HTTPS secure.contoso.com:443").url).toBe("https://secure.contoso.com");
    expect(proxyFromSystem("SOCKS5 10.0.0.1:1080").url).toBe("socks5://10.0.0.1:1080");
  });
});
