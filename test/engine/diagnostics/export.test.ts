// "Export diagnostics": token-shaped values are planted in the logs, the settings, the policy and a doctor
// check's detail; the zip is written, then read back (unzip where it is installed, and a zip reader over Node's
// zlib everywhere), and none of them survives while the ordinary text around them does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportDiagnostics } from "../../../electron/engine/diagnostics/export.js";
import { readZip } from "./read-zip.js";
import { scrubSecrets } from "../../../electron/engine/diagnostics/scrub.js";
import type { DoctorReport } from "../../../electron/engine/diagnostics/types.js";

const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGVsZUBjb250b3NvLmNvbSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
const SECRETS = {
  jwt: JWT,
  bearer: "opaqueBearerValue42",
  basic: "YWxpY2U6czNjcmV0UGFzcw==",
  entraRefresh: "0.AXEAmZq8Wk3hT0-abcDEFghiJKLmnoPQRstuVWXyz0123456789",
  refreshField: "RT-short-value",
  clientSecret: "Zx8Q~mySecretValue",
  camelSecret: "S3cretValue-camel",
  authCode: "AUTHCODEvalue123",
  assertion: "assertionValue987",
  cookie: "ESTSAUTHvalue555",
  setCookie: "fpcValue777",
  proxyPassword: "Pr0xyPassw0rd",
  password: "hunter2-password",
};

const ORDINARY = [
  "activation requested for Platform Ops",
  "state=visible-state",
  "contoso.com",
  "Prod DBA",
  "Sign-in host",
  "x-ms-request-id",
  "proxy.contoso.com:3128",
];

let dir: string;
let zipPath: string;
let entries: string[];

function entry(name: string): string {
  const text = readZip(zipPath).get(name);
  if (text === undefined) throw new Error(`no ${name} in the zip`);
  return text;
}

/** Whether the system's unzip is here to cross-check the archive (Linux and macOS; not Windows). */
function hasUnzip(): boolean {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-export-"));
  const log = join(dir, "pimtray.log");
  writeFileSync(
    log,
    [
      `2026-01-01T00:00:00Z INFO activation requested for Platform Ops`,
      `2026-01-01T00:00:01Z DEBUG request headers: Authorization: Bearer ${SECRETS.bearer}`,
      `2026-01-01T00:00:02Z DEBUG proxy-authorization: Basic ${SECRETS.basic}`,
      `2026-01-01T00:00:03Z DEBUG token answer {"access_token":"${SECRETS.jwt}","refresh_token":"${SECRETS.refreshField}"}`,
      `2026-01-01T00:00:04Z DEBUG refresh ${SECRETS.entraRefresh}`,
      `2026-01-01T00:00:05Z DEBUG redirect https://localhost/cb?code=${SECRETS.authCode}&state=visible-state`,
      `2026-01-01T00:00:06Z DEBUG POST body client_id=1&client_assertion=${SECRETS.assertion}&client_secret=${SECRETS.clientSecret}`,
      `2026-01-01T00:00:07Z DEBUG Cookie: ESTSAUTH=${SECRETS.cookie}; x-ms-gateway-slice=estsfd`,
      `2026-01-01T00:00:08Z DEBUG Set-Cookie: fpc=${SECRETS.setCookie}; path=/; secure`,
      `2026-01-01T00:00:09Z DEBUG via http://alice:${SECRETS.proxyPassword}@proxy.contoso.com:3128 x-ms-request-id 1234`,
    ].join("\n"),
  );
  writeFileSync(`${log}.1`, `2026-01-01T00:00:00Z INFO older copy password=${SECRETS.password}\n`);
  const report: DoctorReport = {
    schemaVersion: 1,
    generatedAt: "2026-01-01T00:00:10.000Z",
    status: "fail",
    checks: [
      {
        id: "reach.signin",
        title: "Sign-in host",
        status: "fail",
        detail: `answered with a token ${SECRETS.jwt} and Authorization: Bearer ${SECRETS.bearer}`,
        fix: "Allow outbound HTTPS.",
        data: { clientSecret: SECRETS.clientSecret, url: `https://login/?code=${SECRETS.authCode}` },
      },
    ],
  };
  zipPath = join(dir, "diagnostics.zip");
  entries = await exportDiagnostics({
    path: zipPath,
    report,
    logFiles: [log, `${log}.1`, `${log}.2`],
    settings: {
      connection: { tenant: "contoso.com", clientSecret: SECRETS.camelSecret },
      profiles: [{ name: "Prod DBA", justification: `Bearer ${SECRETS.bearer}` }],
    },
    policy: { sources: ["/etc/pimtray/policy.json"], values: { supportContact: `token ${SECRETS.jwt}` }, problems: [] },
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the diagnostics zip", () => {
  it("holds the report, the settings, the policy and the logs that exist, and nothing else", () => {
    expect(entries).toEqual([
      "README.txt",
      "doctor.txt",
      "doctor.json",
      "settings.json",
      "policy.json",
      "logs/pimtray.log",
      "logs/pimtray.log.1",
    ]);
    expect([...readZip(zipPath).keys()]).toEqual(entries);
    if (hasUnzip()) {
      const listed = execFileSync("unzip", ["-Z1", zipPath], { encoding: "utf8" }).trim().split("\n");
      expect(listed).toEqual(entries);
      // The system's archiver reads every entry as ours does.
      for (const name of entries)
        expect(execFileSync("unzip", ["-p", zipPath, name], { encoding: "utf8" })).toBe(entry(name));
    }
    if (process.platform !== "win32") expect(statSync(zipPath).mode & 0o077).toBe(0);
  });

  it("carries no planted secret in any file, and keeps the ordinary text", () => {
    const all = entries.map(entry).join("\n");
    for (const [name, secret] of Object.entries(SECRETS)) expect(all.includes(secret), name).toBe(false);
    expect(all).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{5,}/);
    for (const text of ORDINARY) expect(all).toContain(text);
    expect(all).toContain("[redacted]");
  });

  it("keeps the JSON files valid JSON", () => {
    const settings = JSON.parse(entry("settings.json"));
    expect(settings.connection).toEqual({ tenant: "contoso.com", clientSecret: "[redacted]" });
    expect(settings.profiles[0].name).toBe("Prod DBA");
    const report = JSON.parse(entry("doctor.json"));
    expect(report.checks[0].data.clientSecret).toBe("[redacted]");
    expect(report.checks[0].fix).toBe("Allow outbound HTTPS.");
    expect(JSON.parse(entry("policy.json")).sources).toEqual(["/etc/pimtray/policy.json"]);
  });

  it("has the human report too", () => {
    const text = entry("doctor.txt");
    expect(text).toContain("FAIL  Sign-in host");
    expect(text).toContain("What to do:");
  });
});

describe("scrubSecrets", () => {
  it("leaves text without secrets as it is", () => {
    const plain =
      "Graph answered 403 Forbidden (code=Authorization_RequestDenied is JSON, not a query) for contoso.com";
    expect(scrubSecrets("Eligible: Platform Ops (member), ends 2026-01-01")).toBe(
      "Eligible: Platform Ops (member), ends 2026-01-01",
    );
    expect(scrubSecrets(plain)).toContain("contoso.com");
  });
});
