// The doctor's local checks and runner, over probes: each check's verdict and fix, a probe that throws, the
// report's order and overall status, the text report, and the log's rotation (what an export collects).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accountCheck,
  notificationsCheck,
  planeConsented,
  policyCheck,
  tokenCacheCheck,
  updateCheck,
} from "../../../electron/engine/diagnostics/checks-local.js";
import { cachedScopes } from "../../../electron/engine/diagnostics/cached-scopes.js";
import { CHECK_IDS, runDoctor, type DoctorProbes } from "../../../electron/engine/diagnostics/doctor.js";
import { formatReport } from "../../../electron/engine/diagnostics/format.js";
import { resolveConnection } from "../../../electron/engine/config.js";
import { fileLogger, LOG_MAX_BYTES, logFiles } from "../../../electron/node/file-logger.js";

const connection = resolveConnection({
  cloud: "global",
  tenant: "contoso.com",
  clientId: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
});
const allOn = { group: true, role: true, azure: true };

describe("token cache", () => {
  const base = { location: "/home/a/.config/pimtray/msal-cache.json", present: true, readable: true };
  it("plain and owner-only is ok; readable by others fails with chmod 600", () => {
    expect(tokenCacheCheck({ ...base, kind: "plain", ownerOnly: true }, "cli").status).toBe("ok");
    const open = tokenCacheCheck({ ...base, kind: "plain", ownerOnly: false }, "cli");
    expect(open.status).toBe("fail");
    expect(open.fix).toContain("chmod 600");
  });
  it("encrypted is ok; encrypted and unreadable names the OS key store; memory is ok; absent asks to sign in", () => {
    expect(tokenCacheCheck({ ...base, kind: "encrypted", ownerOnly: null }, "app").detail).toContain("Encrypted");
    expect(tokenCacheCheck({ ...base, kind: "encrypted", readable: false, ownerOnly: null }, "app").fix).toContain(
      "key store",
    );
    expect(
      tokenCacheCheck({ kind: "memory", location: null, present: false, readable: false, ownerOnly: null }, "app")
        .status,
    ).toBe("ok");
    const absent = tokenCacheCheck({ ...base, kind: "plain", present: false, readable: false, ownerOnly: null }, "cli");
    expect(absent.status).toBe("warn");
    expect(absent.fix).toContain("pimtray login");
  });
});

describe("account and consent per plane", () => {
  const graph = "https://graph.microsoft.com";
  const groups = connection.planeScopes.group;
  it("reads each plane's consent from the granted scopes", () => {
    expect(planeConsented("group", groups, groups)).toBe(true);
    expect(planeConsented("group", groups, groups.slice(1))).toBe(false);
    // Entra answers with bare permission names for Graph; they count.
    expect(
      planeConsented(
        "role",
        connection.planeScopes.role,
        connection.planeScopes.role.map((s) => s.slice(graph.length + 1)),
      ),
    ).toBe(true);
    expect(
      planeConsented("azure", connection.planeScopes.azure, ["https://management.azure.com/user_impersonation"]),
    ).toBe(true);
    expect(planeConsented("azure", connection.planeScopes.azure, groups)).toBe(false);
  });

  it("says which plane lacks consent and how to consent to it", () => {
    const c = accountCheck(
      { username: "adele@contoso.com", tenantId: "t", grantedScopes: groups },
      connection.planeScopes,
      allOn,
      "cli",
    );
    expect(c.status).toBe("warn");
    expect(c.detail).toContain("groups: consented");
    expect(c.detail).toContain("Azure roles: no token with its permissions yet");
    expect(c.fix).toContain("pimtray login --plane role");
    expect(c.fix).toContain("pimtray login --plane azure");
    const off = accountCheck(
      { username: "a", tenantId: "t", grantedScopes: groups },
      connection.planeScopes,
      { group: true, role: false, azure: false },
      "cli",
    );
    expect(off.status).toBe("ok");
    expect(off.detail).toContain("Azure roles: off");
    expect(accountCheck(null, connection.planeScopes, allOn, "app").fix).toContain("Sign in");
  });

  it("takes only the scopes of the account's access tokens from a serialized cache, never a secret", () => {
    const cache = JSON.stringify({
      AccessToken: {
        a: { home_account_id: "uid.tid", target: "https://graph.microsoft.com/A.Read B.Write", secret: "eyJsecret" },
        b: { home_account_id: "other.tid", target: "C.Read", secret: "x" },
      },
      RefreshToken: { r: { home_account_id: "uid.tid", secret: "0.Arefresh" } },
    });
    expect(cachedScopes(cache, "UID.TID")).toEqual(["B.Write", "https://graph.microsoft.com/A.Read"]);
    expect(cachedScopes("not json", "uid.tid")).toEqual([]);
    expect(cachedScopes(null, "uid.tid")).toEqual([]);
  });
});

describe("policy, notifications and updates", () => {
  it("policy: sources named; problems a warning that still applies the valid values; skipped without a probe", () => {
    expect(policyCheck(null, "cli").status).toBe("skip");
    const ok = policyCheck(
      { sources: [{ name: "/etc/pimtray/policy.json" }], locked: ["tenant"], problems: [] },
      "cli",
    );
    expect(ok.detail).toContain("/etc/pimtray/policy.json");
    expect(ok.detail).toContain("1 setting is locked");
    const bad = policyCheck(
      { sources: ["HKLM"], problems: [{ path: "leadMinutes", message: "must be a number" }] },
      "cli",
    );
    expect(bad.status).toBe("warn");
    expect(bad.detail).toContain("leadMinutes: must be a number");
    expect(bad.fix).toContain("pimtray policy");
  });
  it("notifications: no backend or a test that did not show is a warning with what to do", () => {
    expect(notificationsCheck({ backend: "notify-send", available: false }, "cli").fix).toContain("--no-notify");
    expect(notificationsCheck({ backend: "Electron", available: true, testShown: false }, "app").status).toBe("warn");
    expect(notificationsCheck({ backend: "Electron", available: true, testShown: true }, "app").detail).toContain(
      "showed",
    );
  });
  it("updates: an error is a warning; none in the CLI is skipped", () => {
    expect(updateCheck(null, "cli").status).toBe("skip");
    expect(updateCheck({ state: "checking", error: "net::ERR_CONNECTION_REFUSED" }, "app").status).toBe("warn");
    expect(updateCheck({ state: "ready to install", availableVersion: "1.2.3" }, "app").detail).toContain("1.2.3");
  });
});

describe("runDoctor", () => {
  const probes = (over: Partial<DoctorProbes> = {}): DoctorProbes => ({
    frontEnd: "app",
    endpoints: { signin: "https://login.microsoftonline.com", graph: "https://graph.microsoft.com", arm: null },
    customEndpoints: false,
    reach: async (url) => ({
      url,
      reached: true,
      status: 200,
      ms: 5,
      at: Date.now(),
      serverDate: new Date().toUTCString(),
      errorCode: null,
      error: null,
      peer: {
        issuer: "Microsoft Azure RSA TLS Issuing CA 04 (Microsoft Corporation)",
        issuerOrg: "Microsoft Corporation",
        subject: "x",
        trusted: true,
        error: null,
        validTo: null,
      },
      proxy: null,
    }),
    proxy: async () => ({ source: "system", url: null, noProxy: null }),
    tokenCache: async () => ({
      kind: "encrypted",
      location: "/x/msal-cache.bin",
      present: true,
      readable: true,
      ownerOnly: null,
    }),
    account: async () => ({
      username: "adele@contoso.com",
      tenantId: "t",
      grantedScopes: connection.planeScopes.group,
    }),
    planeScopes: connection.planeScopes,
    planesEnabled: async () => ({ group: true, role: false, azure: false }),
    versions: async () => ({ app: "1.0.0", electron: "45.5.0", node: "22.20.0", os: "Windows 11" }),
    autostart: async () => ({ supported: true, enabled: true }),
    ...over,
  });

  it("gives every check in order; all fine is ok", async () => {
    const r = await runDoctor(probes());
    expect(r.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(r.status).toBe("ok");
    expect(r.checks.find((c) => c.id === "reach.arm")?.status).toBe("skip");
    expect(r.checks.find((c) => c.id === "tls.inspection")?.status).toBe("ok");
    expect(formatReport(r)).toContain("Everything checked is fine.");
  });

  it("a probe that throws is a failed check that says so; the others still run", async () => {
    const r = await runDoctor(
      probes({
        tokenCache: async () => {
          throw new Error("safeStorage is not available");
        },
        reach: async () => {
          throw new Error("boom");
        },
      }),
    );
    expect(r.status).toBe("fail");
    const cache = r.checks.find((c) => c.id === "token-cache");
    expect(cache?.status).toBe("fail");
    expect(cache?.detail).toContain("safeStorage is not available");
    expect(r.checks.find((c) => c.id === "reach.graph")?.status).toBe("fail");
    expect(r.checks.find((c) => c.id === "account")?.status).toBe("ok");
    const text = formatReport(r);
    expect(text).toMatch(/^FAIL\s+Token cache/m);
    expect(text).toContain("What to do:");
  });
});

describe("the log file", () => {
  it("is rotated past 1 MB and keeps three older copies: at most 4 MB", () => {
    const dir = mkdtempSync(join(tmpdir(), "pimtray-log-"));
    try {
      const path = join(dir, "pimtray.log");
      const log = fileLogger(path, false, () => {});
      for (let i = 1; i <= 5; i++) {
        writeFileSync(path, `copy ${i}\n${"x".repeat(LOG_MAX_BYTES)}\n`);
        log.info(`after copy ${i}`);
      }
      const files = logFiles(path);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
        "pimtray.log",
        "pimtray.log.1",
        "pimtray.log.2",
        "pimtray.log.3",
      ]);
      expect(readFileSync(path, "utf8")).toContain("after copy 5");
      expect(readFileSync(`${path}.1`, "utf8")).toMatch(/^copy 5/);
      expect(readFileSync(`${path}.3`, "utf8")).toMatch(/^copy 3/);
      expect(() => readFileSync(`${path}.4`)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
