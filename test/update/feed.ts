// A local update feed over real HTTPS, as electron-builder publishes one: latest-linux.yml (and latest.yml,
// latest-mac.yml, so the check runs on every OS) beside an AppImage-like payload. Its certificate comes
// from a fresh local CA made like the emulator's (emulator/certs.ts). Every request is counted.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTls } from "../../emulator/certs.js";

export interface Feed {
  /** The feed's base URL, ending with a slash. */
  readonly url: string;
  readonly caPem: string;
  /** Paths asked for, in order, without their query (electron-updater adds ?noCache=…). */
  readonly requests: string[];
  /**
   * Publishes `version`: its metadata names `PIM-Tray-<version>.AppImage` with the sha512 and size of
   * `payload`; the feed serves `served` for it (default: the payload itself; anything else is a tampered file).
   */
  publish(version: string, payload: Buffer, served?: Buffer): void;
  stop(): Promise<void>;
}

export const sha512 = (b: Buffer): string => createHash("sha512").update(b).digest("base64");

/** latest*.yml as electron-builder writes it for one file. */
export function latestYml(version: string, file: string, payload: Buffer): string {
  return [
    `version: ${version}`,
    "files:",
    `  - url: ${file}`,
    `    sha512: ${sha512(payload)}`,
    `    size: ${payload.length}`,
    `path: ${file}`,
    `sha512: ${sha512(payload)}`,
    `releaseDate: '2026-12-01T09:00:00.000Z'`,
    "",
  ].join("\n");
}

export async function startFeed(): Promise<Feed> {
  const certDir = mkdtempSync(join(tmpdir(), "pimtray-feed-tls-"));
  const tls = ensureTls(certDir);
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
    const path = new URL(req.url ?? "/", "https://feed").pathname;
    requests.push(path);
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    caPem: tls.caCertPem,
    requests,
    publish(version, payload, served = payload) {
      files.clear();
      const file = `PIM-Tray-${version}.AppImage`;
      const yml = Buffer.from(latestYml(version, file, payload));
      for (const name of ["latest-linux.yml", "latest.yml", "latest-mac.yml"]) files.set(`/${name}`, yml);
      files.set(`/${file}`, served);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}
