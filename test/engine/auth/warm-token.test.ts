// A warm start without MSAL (electron/engine/auth/warm-token.ts): the token read from the cache file is the
// very token MSAL's silent call gives for each plane, and anything the reader is unsure of is left to MSAL.
// The cache is the one MSAL wrote, signing in over HTTPS against the emulator. Tokens are compared with ===
// and never printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthorityMetadataFile } from "../../../electron/engine/auth/authority-metadata.js";
import { OwnerOnlyFilePersistence } from "../../../electron/engine/auth/file-persistence.js";
import {
  parseWarmCache,
  realmFromMetadata,
  warmAccessToken,
  warmAccount,
  type WarmTokenQuery,
} from "../../../electron/engine/auth/warm-token.js";
import { DEFAULT_CLIENT_ID } from "../../../electron/engine/config.js";
import type { Engine } from "../../../electron/engine/engine.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { emulatorConnection, engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
let signedIn: Engine;
let homeAccountId: string;
const cacheFile = () => join(dir, "msal-cache.json");

const connection = () => emulatorConnection(emu);
const persistence = () =>
  new OwnerOnlyFilePersistence(cacheFile(), { authorityMetadata: new AuthorityMetadataFile(join(dir, "meta.json")) });

/** A fresh engine over the same files, as the next `pimtray` run starts: MSAL not yet loaded. */
const nextRun = (extraDir: string) =>
  engineAgainst(emu, extraDir, {
    user: null,
    overrides: { persistence: persistence(), account: { homeAccountId, method: "device-code" } },
  });

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), "pimtray-warm-token-"));
  signedIn = await engineAgainst(emu, dir, { overrides: { persistence: persistence() } });
  const account = await signedIn.auth.currentAccount();
  if (!account) throw new Error("not signed in");
  homeAccountId = account.homeAccountId;
  // Each plane's token, minted by MSAL into the file (signed in: MSAL answers, not the warm reader).
  for (const scopes of Object.values(connection().planeScopes)) await signedIn.auth.getAccessToken({ scopes });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe("a warm start's tokens", () => {
  it("are, for every plane, exactly the token MSAL's silent call returns, read without a request", async () => {
    const engine = await nextRun(mkdtempSync(join(dir, "run-")));
    await emu.control.clearRequests();
    for (const [plane, scopes] of Object.entries(connection().planeScopes)) {
      const warm = await engine.auth.getAccessToken({ scopes });
      const msal = await signedIn.auth.getAccessToken({ scopes });
      expect(warm === msal, `${plane}: the warm token is MSAL's`).toBe(true);
    }
    // Neither reader asked the sign-in host for anything.
    expect(await emu.control.requests()).toHaveLength(0);
    const account = await engine.auth.currentAccount();
    expect(account).toEqual(await signedIn.auth.currentAccount());
  });

  it("one about to expire is left to MSAL, which refreshes it; the next run reads the new one", async () => {
    const text = readFileSync(cacheFile(), "utf8");
    const doc = JSON.parse(text) as {
      AccessToken: Record<string, { expires_on: string; target: string; secret: string }>;
    };
    const groupScopes = connection().planeScopes.group;
    const soon = String(Math.floor(Date.now() / 1000) + 120); // inside MSAL's 300 s offset
    let before = "";
    for (const at of Object.values(doc.AccessToken))
      if (groupScopes.every((s) => at.target.toLowerCase().includes(s.toLowerCase()))) {
        at.expires_on = soon;
        before = at.secret;
      }
    expect(before).not.toBe("");
    writeFileSync(cacheFile(), JSON.stringify(doc));

    const engine = await nextRun(mkdtempSync(join(dir, "run-")));
    await emu.control.clearRequests();
    const fresh = await engine.auth.getAccessToken({ scopes: groupScopes });
    expect((await emu.control.requests()).some((r) => r.path.endsWith("/oauth2/v2.0/token"))).toBe(true);
    expect(fresh === before).toBe(false);

    const again = await nextRun(mkdtempSync(join(dir, "run-")));
    await emu.control.clearRequests();
    expect((await again.auth.getAccessToken({ scopes: groupScopes })) === fresh).toBe(true);
    expect(await emu.control.requests()).toHaveLength(0);
  });
});

describe("the cache reader's rules", () => {
  const cache = () => {
    const c = parseWarmCache(readFileSync(cacheFile(), "utf8"));
    if (!c) throw new Error("the cache MSAL wrote did not parse");
    return c;
  };
  const realm = () => emu.tenantId;
  const query = (over: Partial<WarmTokenQuery> = {}): WarmTokenQuery => ({
    homeAccountId,
    clientId: DEFAULT_CLIENT_ID,
    realm: realm(),
    scopes: connection().planeScopes.role,
    nowS: Math.floor(Date.now() / 1000),
    ...over,
  });

  it("finds the token for the plane's scopes, and none for another app, tenant, account or scope", () => {
    expect(warmAccessToken(cache(), query())).not.toBeNull();
    expect(warmAccessToken(cache(), query({ clientId: "00000000-0000-0000-0000-000000000001" }))).toBeNull();
    expect(warmAccessToken(cache(), query({ realm: "11111111-1111-1111-1111-111111111111" }))).toBeNull();
    expect(warmAccessToken(cache(), query({ homeAccountId: `x${homeAccountId}` }))).toBeNull();
    expect(
      warmAccessToken(cache(), query({ scopes: ["https://graph.microsoft.com/Directory.ReadWrite.All"] })),
    ).toBeNull();
    expect(warmAccessToken(cache(), query({ scopes: ["openid", "profile"] }))).toBeNull();
  });

  it("an hour on, the token has expired for it; a proactive refresh due, a PoP token or a twin is MSAL's", () => {
    expect(warmAccessToken(cache(), query({ nowS: Math.floor(Date.now() / 1000) + 3600 }))).toBeNull();
    const edited = (edit: (at: Record<string, unknown>, all: Record<string, unknown>) => void) => {
      const doc = JSON.parse(readFileSync(cacheFile(), "utf8")) as {
        AccessToken: Record<string, Record<string, unknown>>;
      };
      const scopes = connection().planeScopes.role.map((s) => s.toLowerCase());
      const [key, at] =
        Object.entries(doc.AccessToken).find(([, t]) =>
          scopes.every((s) => String(t.target).toLowerCase().includes(s)),
        ) ?? [];
      if (!key || !at) throw new Error("no role-plane token in the cache");
      edit(at, doc.AccessToken);
      return parseWarmCache(JSON.stringify(doc));
    };
    const due = edited((at) => (at.refresh_on = String(Math.floor(Date.now() / 1000) - 1)));
    expect(due && warmAccessToken(due, query())).toBeNull();
    const pop = edited((at) => (at.credential_type = "AccessToken_With_AuthScheme"));
    expect(pop && warmAccessToken(pop, query())).toBeNull();
    const twin = edited((at, all) => (all["twin"] = { ...at, secret: "another" }));
    expect(twin && warmAccessToken(twin, query())).toBeNull();
  });

  it("reads the account as MSAL names it, and nothing from text that is not MSAL's cache", () => {
    expect(warmAccount(cache(), homeAccountId)?.username).toBe("adele@contoso.example");
    expect(warmAccount(cache(), "nobody")).toBeNull();
    for (const bad of ["", "{", "[]", "null", '{"Account":7}']) {
      const c = parseWarmCache(bad);
      expect(c === null || warmAccessToken(c, query()) === null).toBe(true);
    }
  });

  it("takes the tenant from the kept issuer, and none from 'organizations' or a broken document", () => {
    expect(realmFromMetadata(JSON.stringify({ issuer: `${emu.origin}/${emu.tenantId}/v2.0` }))).toBe(emu.tenantId);
    expect(
      realmFromMetadata(JSON.stringify({ issuer: "https://login.microsoftonline.com/{tenantid}/v2.0" })),
    ).toBeNull();
    expect(realmFromMetadata("not json")).toBeNull();
    expect(realmFromMetadata(null)).toBeNull();
  });
});
