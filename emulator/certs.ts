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

const DAY = 86_400_000;
/** The CA's whole validity, notBefore to notAfter. */
export const CA_DAYS = 365;
const NAME_CONSTRAINTS_OID = "2.5.29.30";
/** The names the CA may certify: what the emulator listens on, nothing else (single hosts: full masks). */
export const PERMITTED_NAMES = { dns: ["localhost"], ip: ["127.0.0.1", "::1"] } as const;

/** DER of NameConstraints (RFC 5280 4.2.1.10) with permittedSubtrees only; forge reads it but cannot build it. */
function loopbackNameConstraints(): string {
  const { asn1 } = forge;
  const ctx = (tag: number, value: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, value);
  const subtree = (generalName: forge.asn1.Asn1) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [generalName]);
  // iPAddress in a constraint is the address followed by its mask, as raw bytes.
  const ipWithMask = (ip: string): string => {
    const addr =
      ip === "::1" ? Buffer.from([...new Array<number>(15).fill(0), 1]) : Buffer.from(ip.split(".").map(Number));
    return Buffer.concat([addr, Buffer.alloc(addr.length, 0xff)]).toString("binary");
  };
  const permitted = [
    ...PERMITTED_NAMES.dns.map((d) => subtree(ctx(2, d))), // dNSName [2] IA5String
    ...PERMITTED_NAMES.ip.map((ip) => subtree(ctx(7, ipWithMask(ip)))), // iPAddress [7]
  ];
  const nc = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, permitted),
  ]);
  return asn1.toDer(nc).getBytes();
}

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
  cert.validity.notBefore = new Date(Date.now() - DAY);
  // At most a year in all: a CA whose key sits in a data folder should not outlive a test cycle by much.
  cert.validity.notAfter = new Date(Date.now() + (CA_DAYS - 1) * DAY);
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
    // Even if someone trusts this CA, it can vouch for loopback names only, never for a real host.
    { id: NAME_CONSTRAINTS_OID, critical: true, value: loopbackNameConstraints() },
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
  cert.validity.notBefore = new Date(Date.now() - DAY);
  // Never beyond the CA's own end (and so under the 398 days browsers allow a server certificate).
  cert.validity.notAfter = new Date(Math.min(Date.now() + 390 * DAY, caCert.validity.notAfter.getTime()));
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
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
    return Date.parse(c.validTo) > Date.now() + 7 * DAY;
  } catch {
    return false;
  }
}

/** A CA made by an older emulator (ten years, no name constraints) is replaced, not kept. */
function currentCa(pem: string): boolean {
  if (!stillValid(pem)) return false;
  try {
    const c = forge.pki.certificateFromPem(pem);
    const days = (c.validity.notAfter.getTime() - c.validity.notBefore.getTime()) / DAY;
    return (
      days <= CA_DAYS &&
      c.extensions.some(
        (e: { id?: string; critical?: boolean }) => e.id === NAME_CONSTRAINTS_OID && e.critical === true,
      )
    );
  } catch {
    return false;
  }
}

/**
 * Loads the CA and server certificate from `dataDir`, creating them on first start (offline).
 * The CA is kept across restarts (until it nears its end, or was made without name constraints), so the
 * CA path a test or a demo run was given stays the same between runs.
 */
export function ensureTls(dataDir: string): TlsMaterial {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const p = (f: string) => join(dataDir, f);
  let caCertPem: string;
  let caKeyPem: string;
  if (existsSync(p(CA_CERT)) && existsSync(p(CA_KEY)) && currentCa(readFileSync(p(CA_CERT), "utf8"))) {
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
