// The CLI's fetch over node:https (electron/cli/https-fetch.ts) against a real HTTPS server: compressed answers are
// decoded (zlib is loaded only for them), and an answer cut short is an error, never a short body.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsFetch } from "../../electron/cli/https-fetch.js";
import { ensureTls } from "../../emulator/certs.js";

const BODY = JSON.stringify({ value: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `group ${i}` })) });
let dir: string;
let server: Server;
let origin: string;
let ca: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-https-fetch-"));
  const tls = ensureTls(dir);
  ca = tls.caCertPem;
  server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
    const encoded: Record<string, Buffer> = {
      "/gzip": gzipSync(BODY),
      "/deflate": deflateSync(BODY),
      "/br": brotliCompressSync(BODY),
    };
    const path = req.url ?? "/";
    if (path === "/cut") {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(BODY.length) });
      res.write(BODY.slice(0, 100));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    const name = path.slice(1);
    const body = encoded[path];
    res.writeHead(200, { "content-type": "application/json", ...(body ? { "content-encoding": name } : {}) });
    res.end(body ?? BODY);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("the CLI's https fetch", () => {
  for (const path of ["/plain", "/gzip", "/deflate", "/br"]) {
    it(`reads ${path.slice(1)} answers as the JSON sent`, async () => {
      const res = await httpsFetch({ ca: [ca] })(`${origin}${path}`, {
        method: "GET",
        headers: {},
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(BODY);
    });
  }

  it("an answer cut short is an error", async () => {
    const res = await httpsFetch({ ca: [ca] })(`${origin}/cut`, {
      method: "GET",
      headers: {},
      signal: AbortSignal.timeout(10_000),
    });
    await expect(res.text()).rejects.toThrow(/closed before the whole answer|aborted/);
  });
});
