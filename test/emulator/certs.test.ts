// The emulator's own CA: it may vouch for loopback names only, lives at most a year, and an older CA
// made without those limits is replaced. Checked as TLS clients see it, not only by reading fields.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, connect, type TLSSocket } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { afterEach, describe, expect, it } from "vitest";
import { ensureTls } from "../../emulator/certs.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "pimtray-certs-"));
  dirs.push(d);
  return d;
}

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pub: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
    key: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  };
}

/** A server certificate for `name`, signed with the emulator CA's own key (what a stolen CA key could mint). */
function leafFor(dir: string, name: { dns?: string; ip?: string }): { cert: string; key: string } {
  const ca = forge.pki.certificateFromPem(readFileSync(join(dir, "ca.pem"), "utf8"));
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dir, "ca-key.pem"), "utf8"));
  const k = keyPair();
  const c = forge.pki.createCertificate();
  c.publicKey = k.pub;
  c.serialNumber = "01" + Date.now().toString(16);
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + 86_400_000);
  // OpenSSL checks a hostname-like CN against the constraints when no DNS name is in the SAN.
  c.setSubject([{ name: "commonName", value: name.dns ?? "PIM Tray test leaf" }]);
  c.setIssuer(ca.subject.attributes);
  c.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [name.dns ? { type: 2, value: name.dns } : { type: 7, ip: name.ip }] },
  ]);
  c.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: k.key };
}

/** Connects as Node's TLS client trusting only the emulator CA; resolves to null or the verification error. */
async function handshake(dir: string, leaf: { cert: string; key: string }, servername: string): Promise<string | null> {
  const server = createServer({ cert: leaf.cert, key: leaf.key }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<string | null>((resolve) => {
      const s: TLSSocket = connect({
        host: "127.0.0.1",
        port,
        servername,
        ca: readFileSync(join(dir, "ca.pem"), "utf8"),
        checkServerIdentity: () => undefined,
      });
      s.once("secureConnect", () => {
        s.destroy();
        resolve(null);
      });
      s.once("error", (e: NodeJS.ErrnoException) => resolve(`${e.code ?? ""} ${e.message}`));
    });
  } finally {
    server.close();
  }
}

describe("the emulator's CA", () => {
  it("is limited to loopback names, critically, and to one year", () => {
    const dir = dataDir();
    const tls = ensureTls(dir);
    const ca = forge.pki.certificateFromPem(tls.caCertPem);
    const nc = ca.extensions.find((e: { id?: string }) => e.id === "2.5.29.30") as
      { critical: boolean; permittedSubtrees: Array<{ type: number; value: string }> } | undefined;
    expect(nc?.critical).toBe(true);
    const names = (nc?.permittedSubtrees ?? []).map((t) =>
      t.type === 2 ? t.value : Buffer.from(t.value, "binary").toString("hex"),
    );
    expect(names).toEqual([
      "localhost",
      "7f000001ffffffff",
      "00000000000000000000000000000001ffffffffffffffffffffffffffffffff",
    ]);
    const x = new X509Certificate(tls.caCertPem);
    expect((Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000).toBeLessThanOrEqual(365);
    // The server certificate ends no later than its CA.
    expect(Date.parse(new X509Certificate(tls.serverCertPem).validTo)).toBeLessThanOrEqual(Date.parse(x.validTo));
    expect(statSync(join(dir, "ca-key.pem")).mode & 0o777).toBe(0o600);
  });

  it("cannot vouch for a real host even to a client that trusts it", async () => {
    const dir = dataDir();
    const tls = ensureTls(dir);
    expect(await handshake(dir, { cert: tls.serverCertPem, key: tls.serverKeyPem }, "localhost")).toBeNull();
    expect(await handshake(dir, leafFor(dir, { ip: "127.0.0.1" }), "localhost")).toBeNull();
    expect(await handshake(dir, leafFor(dir, { dns: "localhost" }), "localhost")).toBeNull();
    const refused = await handshake(
      dir,
      leafFor(dir, { dns: "login.microsoftonline.com" }),
      "login.microsoftonline.com",
    );
    expect(refused).toMatch(/subtree|name constraint/i);
  });

  it("replaces a CA from an older emulator that had no limits", () => {
    const dir = dataDir();
    const k = keyPair();
    const old = forge.pki.createCertificate();
    old.publicKey = k.pub;
    old.serialNumber = "01";
    old.validity.notBefore = new Date(Date.now() - 86_400_000);
    old.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
    const attrs = [{ name: "commonName", value: "PIM Tray Emulator Local CA" }];
    old.setSubject(attrs);
    old.setIssuer(attrs);
    old.setExtensions([{ name: "basicConstraints", cA: true, critical: true }]);
    old.sign(forge.pki.privateKeyFromPem(k.key), forge.md.sha256.create());
    const oldPem = forge.pki.certificateToPem(old);
    writeFileSync(join(dir, "ca.pem"), oldPem);
    writeFileSync(join(dir, "ca-key.pem"), k.key, { mode: 0o600 });
    const tls = ensureTls(dir);
    expect(tls.caCertPem).not.toBe(oldPem);
    expect(new X509Certificate(tls.serverCertPem).checkIssued(new X509Certificate(tls.caCertPem))).toBe(true);
    // Kept on the next start.
    expect(ensureTls(dir).caCertPem).toBe(tls.caCertPem);
  });
});
