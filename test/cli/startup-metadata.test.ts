// Issue 12, "Fast start": the sign-in host's OpenID configuration is kept beside the token cache
// (electron/engine/auth/authority-metadata.ts), so a warm `pimtray` run sends no request to the sign-in host.
// The real CLI and the real MSAL against the emulator: what is kept, that it is used (silent refresh included),
// and that a damaged, foreign or stale file costs one read of the network and nothing else.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endCliSuite, startCliSuite, type CliSuite } from "../helpers/cli.js";

const FILE = "authority-metadata.json";
const OPENID = "/.well-known/openid-configuration";

let suite: CliSuite;
let short: CliSuite;
const file = (s: CliSuite) => join(s.cli.configDir, FILE);
const kept = (s: CliSuite) =>
  JSON.parse(readFileSync(file(s), "utf8")) as { authority: string; savedAt: number; document: string };

/** A status run; its exit, its output, and the paths it asked the emulator for. */
async function status(s: CliSuite) {
  await s.emu.control.clearRequests();
  const r = await s.cli.json<{ active: unknown[]; planes: Array<{ kind: string; state: string }> }>(["status"]);
  const paths = (await s.emu.control.requests()).map((e) => `${e.method} ${e.path}`);
  return { ...r, paths, openid: paths.filter((p) => p.endsWith(OPENID)).length };
}

beforeAll(async () => {
  [suite, short] = await Promise.all([
    startCliSuite({}),
    // Access tokens that live one minute: MSAL redeems the refresh token at every silent request.
    startCliSuite({ accessTokenLifetimeSeconds: 60 }),
  ]);
  // The first status mints the Entra ID role and Azure tokens; MSAL may lose one of two tokens minted at once
  // (each silent request reloads the cache file while the other writes it), which the second status mints
  // alone: later runs start with a warm cache.
  for (const s of [suite, short]) for (let i = 0; i < 2; i++) expect((await status(s)).code).toBe(0);
});
afterAll(async () => {
  await Promise.all([endCliSuite(suite), endCliSuite(short)]);
});

describe("the sign-in host's metadata, kept between runs", () => {
  it("is kept after sign-in, owner-only, for this authority; a warm status then sends it no request", async () => {
    const k = kept(suite);
    expect(k.authority).toBe(`${suite.emu.origin}/${suite.emu.tenantId}`);
    expect(JSON.parse(k.document)).toMatchObject({ token_endpoint: expect.stringContaining(suite.emu.origin) });
    expect(statSync(file(suite)).mode & 0o777).toBe(0o600);

    const r = await status(suite);
    expect(r.code, r.stderr).toBe(0);
    expect(r.openid).toBe(0);
    expect(r.body.planes.map((p) => p.state)).toEqual(["ok", "ok", "ok"]);
    // Only the reads of the three planes (each Graph plane's two lists in one $batch): the warm run's first request
    // is a Graph or ARM read.
    expect(r.paths).toHaveLength(4);
    expect(r.paths.every((p) => p === "POST /v1.0/$batch" || p.startsWith("GET /arm/"))).toBe(true);
  });

  it("refreshes tokens silently at the kept token endpoint", async () => {
    const r = await status(short);
    expect(r.code, r.stderr).toBe(0);
    expect(r.openid).toBe(0);
    const redeemed = r.paths.filter((p) => p === `POST /${short.emu.tenantId}/oauth2/v2.0/token`);
    expect(redeemed.length).toBeGreaterThanOrEqual(1);
    expect(r.body.planes.map((p) => p.state)).toEqual(["ok", "ok", "ok"]);
  });

  it("a corrupt file: read from the network once, rewritten, and nothing else lost", async () => {
    const before = await status(suite);
    writeFileSync(file(suite), '{"version":1,"authority":', { mode: 0o600 });
    const r = await status(suite);
    expect(r.code, r.stderr).toBe(0);
    expect(r.openid).toBe(1);
    expect(r.stderr).toBe("");
    // Still signed in, every plane read, and no prompt.
    expect(r.body.planes.map((p) => p.state)).toEqual(["ok", "ok", "ok"]);
    expect(r.body.active).toEqual(before.body.active);
    expect((await suite.cli.run(["whoami", "--no-interactive"])).code).toBe(0);
    expect(kept(suite).authority).toBe(`${suite.emu.origin}/${suite.emu.tenantId}`);
    expect((await status(suite)).openid).toBe(0);
  });

  it("another authority's document is never used, nor one older than a day", async () => {
    const mine = kept(suite);
    writeFileSync(file(suite), JSON.stringify({ ...mine, version: 1, authority: `${suite.emu.origin}/contoso.com` }));
    expect((await status(suite)).openid).toBe(1);
    expect(kept(suite).authority).toBe(mine.authority);

    writeFileSync(file(suite), JSON.stringify({ ...mine, version: 1, savedAt: Date.now() - 25 * 60 * 60_000 }));
    expect((await status(suite)).openid).toBe(1);
    expect(Date.now() - kept(suite).savedAt).toBeLessThan(60_000);
  });

  it("a kept token endpoint that fails is dropped: the next run reads the document again and works", async () => {
    const mine = kept(short);
    const doc = JSON.parse(mine.document) as Record<string, string>;
    // Same host (a file is only trusted on the authority's own origin), but an endpoint that is not there.
    const moved = { ...doc, token_endpoint: `${short.emu.origin}/${short.emu.tenantId}/oauth2/v2.0/moved-away` };
    writeFileSync(file(short), JSON.stringify({ ...mine, version: 1, document: JSON.stringify(moved) }));
    const failed = await status(short);
    expect(failed.openid).toBe(0);
    expect(failed.paths).toContain(`POST /${short.emu.tenantId}/oauth2/v2.0/moved-away`);
    expect(() => statSync(file(short))).toThrow();

    const healed = await status(short);
    expect(healed.code, healed.stderr).toBe(0);
    expect(healed.openid).toBe(1);
    expect(healed.body.planes.map((p) => p.state)).toEqual(["ok", "ok", "ok"]);
    expect(JSON.parse(kept(short).document)).toMatchObject({ token_endpoint: doc.token_endpoint });
  });
});
