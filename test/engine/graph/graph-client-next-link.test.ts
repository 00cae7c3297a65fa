import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../../../electron/engine/config.js";
import type { Engine } from "../../../electron/engine/engine.js";
import { GraphError } from "../../../electron/engine/errors.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

// The engine talks to a front server as its Graph endpoint. The front forwards to the emulator and,
// in "foreign" mode, rewrites each @odata.nextLink to point at a second HTTPS server that records
// every Authorization header it receives: what a hostile or broken endpoint could do.

type Emu = Awaited<ReturnType<typeof startTestEmulator>>;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

describe("@odata.nextLink", () => {
  let emu: Emu;
  let dir: string;
  let engine: Engine;
  let front: Server;
  let other: Server;
  let frontOrigin = "";
  let otherOrigin = "";
  let mode: "same-origin" | "foreign" = "same-origin";
  const seenByOther: Array<{ url: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    emu = await startTestEmulator({ settings: { pageSize: 1 } });
    dir = mkdtempSync(join(tmpdir(), "pimtray-nextlink-"));
    const tls = { key: emu.emulator.tls.serverKeyPem, cert: emu.emulator.tls.serverCertPem };
    const toEmulator = new Agent({ connect: { ca: emu.caPem } });

    other = createServer(tls, (req, res) => {
      seenByOther.push({ url: req.url ?? "", authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [] }));
    });
    // 127.0.0.1 for one, localhost for the other: both names are on the emulator's certificate.
    otherOrigin = `https://127.0.0.1:${await listen(other)}`;

    front = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === "string" && k !== "host" && k !== "connection") headers[k] = v;
        const body = chunks.length ? Buffer.concat(chunks).toString("utf8") : undefined;
        fetch(`${emu.origin}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, body, dispatcher: toEmulator })
          .then(async (r) => {
            let text = await r.text();
            const target = mode === "foreign" ? otherOrigin : frontOrigin;
            text = text.replaceAll(emu.origin, target);
            res
              .writeHead(r.status, {
                "content-type": r.headers.get("content-type") ?? "application/json",
                "request-id": r.headers.get("request-id") ?? "",
              })
              .end(text);
          })
          .catch((e: unknown) => res.writeHead(502).end(String(e)));
      });
    });
    frontOrigin = `https://localhost:${await listen(front)}`;

    engine = await engineAgainst(emu, dir, {
      overrides: {
        connection: resolveConnection({
          cloud: "global",
          tenant: emu.tenantId,
          clientId: DEFAULT_CLIENT_ID,
          authorityHost: emu.origin,
          graphEndpoint: frontOrigin,
        }),
      },
    });
  });

  afterAll(async () => {
    await new Promise((r) => front.close(r));
    await new Promise((r) => other.close(r));
    rmSync(dir, { recursive: true, force: true });
    await emu.stop();
  });

  it("is followed on the Graph endpoint's origin: every page arrives", async () => {
    mode = "same-origin";
    const eligibilities = await engine.pim.eligibilities();
    // One per page: more than one means paging happened through the front server.
    expect(eligibilities.length).toBeGreaterThan(1);
    expect(seenByOther).toHaveLength(0);
  });

  it("on another host is an error that names the host, and the bearer token is never sent there", async () => {
    mode = "foreign";
    const otherHost = new URL(otherOrigin).host;
    const err = await engine.pim.eligibilities().then(
      () => null,
      (e: unknown) => e,
    );
    // Never print the header itself: only whether one arrived.
    expect(seenByOther.map((r) => (r.authorization?.startsWith("Bearer ") ? "a bearer token" : "no token"))).toEqual(
      [],
    );
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).message).toContain(otherHost);
  });
});
