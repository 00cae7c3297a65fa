import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";

export interface TlsMaterial {
  caCertPem: string;
  caCertPath: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const CA_CERT = "ca.pem";
const CA_KEY = "ca-key.pem";
const SERVER_CERT = "server.pem";
const SERVER_KEY = "server-key.pem";

function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  // Node's native keygen: forge's pure-JS RSA keygen takes seconds.
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  };
}

function serial(): string {
  // Positive, 16 bytes: the high bit cleared so DER does not read it as negative.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString("hex");
}

function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const attrs = [
    { name: "commonName", value: "PIM Tray Emulator Local CA" },
    { name: "organizationName", value: "PIM Tray (local test only)" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  const key = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function createServerCert(caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  // Under 398 days, which browsers require of server certificates.
  cert.validity.notAfter = new Date(Date.now() + 390 * 86_400_000);
  cert.setSubject([{ name: "commonName", value: "127.0.0.1" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function stillValid(pem: string): boolean {
  try {
    const c = new X509Certificate(pem);
    return Date.parse(c.validTo) > Date.now() + 7 * 86_400_000;
  } catch {
    return false;
  }
}

/**
 * Loads the CA and server certificate from `dataDir`, creating them on first start (offline).
 * The CA is kept across restarts so that a client configured once with NODE_EXTRA_CA_CERTS keeps working.
 */
export function ensureTls(dataDir: string): TlsMaterial {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const p = (f: string) => join(dataDir, f);
  let caCertPem: string;
  let caKeyPem: string;
  if (existsSync(p(CA_CERT)) && existsSync(p(CA_KEY)) && stillValid(readFileSync(p(CA_CERT), "utf8"))) {
    caCertPem = readFileSync(p(CA_CERT), "utf8");
    caKeyPem = readFileSync(p(CA_KEY), "utf8");
  } else {
    ({ certPem: caCertPem, keyPem: caKeyPem } = createCa());
    writeAtomic(p(CA_KEY), caKeyPem, 0o600);
    writeAtomic(p(CA_CERT), caCertPem, 0o644);
  }
  let serverCertPem: string | null = null;
  let serverKeyPem: string | null = null;
  if (existsSync(p(SERVER_CERT)) && existsSync(p(SERVER_KEY))) {
    const pem = readFileSync(p(SERVER_CERT), "utf8");
    const issuedByCa = (() => {
      try {
        return new X509Certificate(pem).checkIssued(new X509Certificate(caCertPem));
      } catch {
        return false;
      }
    })();
    if (issuedByCa && stillValid(pem)) {
      serverCertPem = pem;
      serverKeyPem = readFileSync(p(SERVER_KEY), "utf8");
    }
  }
  if (!serverCertPem || !serverKeyPem) {
    ({ certPem: serverCertPem, keyPem: serverKeyPem } = createServerCert(caCertPem, caKeyPem));
    writeAtomic(p(SERVER_KEY), serverKeyPem, 0o600);
    writeAtomic(p(SERVER_CERT), serverCertPem, 0o644);
  }
  return { caCertPem, caCertPath: p(CA_CERT), serverCertPem, serverKeyPem };
}
