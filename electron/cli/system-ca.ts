import { readFileSync } from "node:fs";
import * as tls from "node:tls";
import { ConfigError } from "../engine/errors.js";

// `--use-system-ca` (or PIMTRAY_USE_SYSTEM_CA=1): trust the operating system's certificate store as well as
// the Mozilla roots Node carries. Behind a TLS-inspecting proxy, the organisation's CA is installed in the OS
// store, which Node 20 does not read. Node 22.15 and 23.5 read it themselves (tls.getCACertificates("system"));
// on Node 20 the system-ca package does: on Linux the usual bundle files and folders (/etc/ssl/certs,
// /etc/pki/…; SSL_CERT_FILE and SSL_CERT_DIR replace them, as for OpenSSL), on Windows (ROOT and CA stores)
// and macOS (the keychains) through its native helpers.
//
// The store is read once, before the first request (main.ts), so the HTTPS agents (https-fetch.ts,
// proxy-fetch.ts) take it synchronously when they are built.

let systemStore: string[] | null = null;

type GetCaCertificates = (type: "default" | "system" | "bundled" | "extra") => string[];

/** The OS store's certificates, in PEM. */
export async function readSystemStore(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const native = (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates;
  // Linux: system-ca reads the same files OpenSSL would, and honours SSL_CERT_FILE/SSL_CERT_DIR on every Node.
  if (native && process.platform !== "linux") return native("system");
  const { systemCertsAsync } = await import("system-ca");
  return systemCertsAsync({ env });
}

/**
 * Reads the OS store for this run. A store that cannot be read, or holds nothing, is an error that says what
 * to do instead: a silent fallback would leave the person with the certificate error they came to fix.
 */
export async function useSystemCa(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let certs: string[];
  try {
    certs = await readSystemStore(env);
  } catch (e) {
    throw new ConfigError(
      `The operating system's certificate store could not be read (${e instanceof Error ? e.message : String(e)}). Set NODE_EXTRA_CA_CERTS to a PEM file with your organisation's root CA instead, or run pimtray on Node 22.15 or later.`,
      { cause: e },
    );
  }
  if (!certs.length)
    throw new ConfigError(
      "The operating system's certificate store has no certificates. Set NODE_EXTRA_CA_CERTS to a PEM file with your organisation's root CA instead.",
    );
  systemStore = certs;
  return certs.length;
}

/** Whether this run asked for the OS store (the flag, or PIMTRAY_USE_SYSTEM_CA=1). */
export function systemCaRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag === true || env.PIMTRAY_USE_SYSTEM_CA === "1";
}

/** How many OS certificates this run trusts; null when the OS store is not in use. */
export function systemStoreSize(): number | null {
  return systemStore ? systemStore.length : null;
}

/** NODE_EXTRA_CA_CERTS's certificates: Node adds them to its default store, which a `ca` list replaces. */
function nodeExtraCerts(env: NodeJS.ProcessEnv): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  } catch {
    return [];
  }
}

/**
 * The CA list for an HTTPS agent: `ca` as given when the OS store is not in use (undefined: Node's default
 * store). With it: the given list (or Node's roots) plus NODE_EXTRA_CA_CERTS plus the OS store.
 */
export function withSystemTrust(ca: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (!systemStore) return ca;
  return [...new Set([...(ca ?? tls.rootCertificates), ...nodeExtraCerts(env), ...systemStore])];
}
