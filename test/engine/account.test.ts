import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  rememberJustification,
  signInAndRemember,
  signOutAndForget,
  switchAndRemember,
  type AccountDeps,
} from "../../electron/engine/account.js";
import type { AccountSummary } from "../../electron/engine/auth/auth-service.js";
import { FileSettingsStore } from "../../electron/engine/profiles/settings-store.js";

const adele: AccountSummary = {
  homeAccountId: "oid.tid",
  username: "adele@contoso.example",
  name: "Adele Vance",
  tenantId: "0b2c8d5e-1f3a-4c6b-9d7e-2a4f6c8e0b1d",
  objectId: "oid",
};
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(): AccountDeps & { settings: FileSettingsStore; calls: string[] } {
  dir = mkdtempSync(join(tmpdir(), "pimtray-account-"));
  const calls: string[] = [];
  return {
    calls,
    settings: new FileSettingsStore(join(dir, "settings.json")),
    auth: {
      signIn: async (o) => (calls.push(`signIn ${o?.method} ${o?.selectAccount}`), adele),
      switchAccount: async (name) => (calls.push(`switch ${name}`), adele),
      signOut: async (all) => (calls.push(`signOut ${all}`), [adele]),
    },
  };
}

describe("account use cases", () => {
  it("signing in remembers the account, its method and the tenant once known", async () => {
    const d = deps();
    await signInAndRemember(d, { method: "device-code" });
    expect(d.calls).toEqual(["signIn device-code false"]);
    const s = await d.settings.load();
    expect(s.account).toEqual({ homeAccountId: adele.homeAccountId, username: adele.username, method: "device-code" });
    expect(s.connection.tenant).toBe(adele.tenantId);
  });

  it("a tenant named in settings is kept", async () => {
    const d = deps();
    await d.settings.update((s) => {
      s.connection.tenant = "contoso.example";
    });
    await signInAndRemember(d);
    expect((await d.settings.load()).connection.tenant).toBe("contoso.example");
    expect(d.calls).toEqual(["signIn browser false"]);
  });

  it("switching keeps the remembered method; signing out forgets the account", async () => {
    const d = deps();
    await signInAndRemember(d, { method: "device-code" });
    await switchAndRemember(d, "adele@contoso.example");
    expect((await d.settings.load()).account?.method).toBe("device-code");
    expect(await signOutAndForget(d, true)).toEqual([adele]);
    expect((await d.settings.load()).account).toBeNull();
    expect(d.calls.slice(1)).toEqual(["switch adele@contoso.example", "signOut true"]);
  });

  it("remembers a justification trimmed, and never a blank one", async () => {
    const d = deps();
    await rememberJustification(d.settings, "  Quarterly close  ");
    expect((await d.settings.load()).lastJustification).toBe("Quarterly close");
    await rememberJustification(d.settings, "   ");
    await rememberJustification(d.settings, undefined);
    expect((await d.settings.load()).lastJustification).toBe("Quarterly close");
  });
});
