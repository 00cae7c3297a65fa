// `pimtray doctor` as a script runs it: the real CLI against the emulator over HTTPS with the real MSAL.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_IDS } from "../../electron/engine/diagnostics/doctor.js";
import { readZip } from "../engine/diagnostics/read-zip.js";
import { endCliSuite, startCliSuite, type CliSuite } from "../helpers/cli.js";
import { loadedFrom, loadRecorder, recorded, sourcesLoaded } from "../main/start-time-harness.js";

let suite: CliSuite;
let scratch: string;

beforeAll(async () => {
  suite = await startCliSuite({});
  scratch = mkdtempSync(join(tmpdir(), "pimtray-doctor-"));
  // Mints the Entra ID role and Azure tokens, so every plane's consent shows in the cache.
  for (let i = 0; i < 2; i++) await suite.cli.run(["status"]);
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await endCliSuite(suite);
});

async function doctor(args: string[] = [], env: Record<string, string> = {}) {
  const r = await suite.cli.run(["doctor", "--json", ...args], env);
  let body: any;
  try {
    body = JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  const check = (id: string) => body.checks.find((c: { id: string }) => c.id === id);
  return { code: r.code, body, check, stderr: r.stderr };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("pimtray doctor, signed in, everything reachable", () => {
  it("exits 0 with every check in the documented order and shape", async () => {
    const d = await doctor();
    expect(d.code, d.stderr).toBe(0);
    expect(d.body.schemaVersion).toBe(1);
    expect(["ok", "warn"]).toContain(d.body.status);
    expect(d.body.checks.map((c: { id: string }) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of d.body.checks) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(["id", "title", "status", "detail", "fix"]));
      expect(["ok", "warn", "fail", "skip"]).toContain(c.status);
      if (c.status === "fail" || c.status === "warn") expect(c.fix, c.id).toBeTruthy();
    }
    for (const id of ["reach.signin", "reach.graph", "reach.arm"]) {
      expect(d.check(id).status, id).toBe("ok");
      expect(d.check(id).detail).toContain(new URL(suite.emu.origin).host);
    }
    expect(d.check("clock").status).toBe("ok");
    expect(d.check("proxy").detail).toContain("No proxy");
  });

  it("names the account and which planes are consented, from the cached tokens' scopes", async () => {
    const d = await doctor();
    const account = d.check("account");
    expect(account.status).toBe("ok");
    expect(account.detail).toContain("adele");
    expect(account.detail).toContain("groups: consented");
    expect(account.detail).toContain("Entra ID roles: consented");
    expect(account.detail).toContain("Azure roles: consented");
    expect(account.data.grantedPermissions).toContain("privilegedeligibilityschedule.read.azureadgroup");
    const cache = d.check("token-cache");
    expect(cache.status).toBe("ok");
    expect(cache.data).toMatchObject({ kind: "plain", present: true, readable: true, ownerOnly: true });
  });

  it("prints a human report with a line per check", async () => {
    const r = await suite.cli.run(["doctor"]);
    expect(r.code).toBe(0);
    for (const title of ["Sign-in host", "Microsoft Graph", "Azure Resource Manager", "Clock", "Token cache"])
      expect(r.stdout).toMatch(new RegExp(`^(ok|WARN)\\s+${title}`, "m"));
  });

  // Windows has no owner-only mode bits to get wrong.
  it.skipIf(process.platform === "win32")(
    "says when the token cache can be read by others, and how to fix it",
    async () => {
      const cache = join(suite.cli.configDir, "msal-cache.json");
      chmodSync(cache, 0o644);
      try {
        const d = await doctor();
        expect(d.code).toBe(11);
        expect(d.check("token-cache").status).toBe("fail");
        expect(d.check("token-cache").fix).toContain("chmod 600");
      } finally {
        chmodSync(cache, 0o600);
      }
    },
  );
});

describe("pimtray doctor when something is wrong", () => {
  it("exits 11 when an endpoint cannot be reached, naming the error and what to do", async () => {
    const port = await closedPort();
    const d = await doctor([], { PIMTRAY_ARM_ENDPOINT: `https://127.0.0.1:${port}/arm` });
    expect(d.code).toBe(11);
    expect(d.body.status).toBe("fail");
    const arm = d.check("reach.arm");
    expect(arm.status).toBe("fail");
    expect(arm.data.errorCode).toBe("ECONNREFUSED");
    expect(arm.fix).toContain("firewall");
    expect(d.check("reach.graph").status).toBe("ok");
  });

  it("still runs when the settings cannot be loaded, and says so first", async () => {
    const dir = join(scratch, "damaged");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "settings.json"), "{ this is not json");
    const d = await doctor([], { PIMTRAY_CONFIG_DIR: dir });
    expect(d.code).toBe(11);
    const settings = d.check("settings");
    expect(settings.status).toBe("fail");
    expect(settings.detail).toContain("settings.json");
    expect(settings.fix).toBeTruthy();
    expect(d.check("versions").status).toBe("ok");
    // What needs the configuration is skipped, not failed: the one failure is the one to fix.
    for (const id of ["reach.signin", "reach.graph", "reach.arm", "token-cache", "account"]) {
      expect(d.check(id).status, id).toBe("skip");
      expect(d.check(id).detail).toContain("Settings");
    }
    expect(d.body.checks.filter((c: { status: string }) => c.status === "fail")).toHaveLength(1);
  });

  it("is not signed in on a fresh computer: warnings, exit 0", async () => {
    const d = await doctor([], { PIMTRAY_CONFIG_DIR: join(scratch, "fresh") });
    expect(d.code, d.stderr).toBe(0);
    expect(d.check("account").status).toBe("warn");
    expect(d.check("account").fix).toContain("pimtray login");
    expect(d.check("token-cache").status).toBe("warn");
  });
});

describe("pimtray doctor and managed policy", () => {
  it("names the policy's source, and reports its problems as a warning (the valid values still apply)", async () => {
    const file = join(scratch, "policy.json");
    writeFileSync(file, JSON.stringify({ SupportContact: "Service desk, extension 1234", Tenant: "x" }), {
      mode: 0o600,
    });
    const d = await doctor([], { PIMTRAY_POLICY_FILE: file });
    expect(d.code, d.stderr).toBe(0);
    const policy = d.check("policy");
    expect(policy.status).toBe("warn");
    expect(policy.detail).toContain(file);
    expect(policy.detail).toContain('Unknown policy "Tenant"');
    expect(policy.data.values).toEqual({ SupportContact: "Service desk, extension 1234" });
    expect(policy.fix).toContain("pimtray policy");
  });

  it("without any policy, says so", async () => {
    const d = await doctor();
    expect(d.check("policy").status).toBe("ok");
    expect(d.check("policy").detail).toContain("No managed policy is set on this computer");
  });
});

describe("pimtray doctor --export", () => {
  it("writes a zip of the logs, the report and the settings, with no token from the cache in any of it", async () => {
    const zip = join(scratch, "diag.zip");
    // A command that fails writes its reason to the log.
    expect((await suite.cli.run(["activate", "No Such Group"])).code).toBe(2);
    const r = await suite.cli.run(["doctor", "--export", zip]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Diagnostics written to ${zip}`);
    const files = readZip(zip);
    const names = [...files.keys()];
    expect(names).toEqual(
      expect.arrayContaining(["README.txt", "doctor.txt", "doctor.json", "settings.json", "logs/pimtray.log"]),
    );
    const text = [...files.values()].join("\n");
    const secrets = suite.cli.cachedSecrets();
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(text.includes(s)).toBe(false);
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/);
    expect(JSON.parse(files.get("doctor.json") ?? "").schemaVersion).toBe(1);
    expect(JSON.parse(files.get("settings.json") ?? "").account).toBeTruthy();
    expect(files.get("logs/pimtray.log") ?? "").toContain("No Such Group");
    expect(JSON.parse(files.get("policy.json") ?? "")).toHaveProperty("sources");
  });
});

describe("what the doctor loads, and what it leaves alone", () => {
  let runs = 0;
  /** Runs pimtray with the start-time recorder (test/cli/startup.test.ts's) and returns the sources it loaded. */
  async function traced(args: string[]) {
    const run = join(scratch, `trace-${++runs}`);
    mkdirSync(run);
    const record = join(run, "loaded.txt");
    const r = await suite.cli.run(args, { NODE_OPTIONS: `--import=${loadRecorder(run, record)}` });
    return { ...r, sources: sourcesLoaded(recorded(record)) };
  }
  const MINE = {
    command: "electron/cli/commands/doctor.ts",
    systemCaModule: "electron/cli/system-ca.ts",
    diagnostics: "electron/engine/diagnostics/",
    yazl: "node_modules/yazl/",
    systemCa: "node_modules/system-ca/",
  };

  it("--version loads none of it", async () => {
    const r = await traced(["--version"]);
    expect(r.code).toBe(0);
    expect(loadedFrom(r.sources, "electron/cli/main.ts")).toBe(true);
    for (const [name, folder] of Object.entries(MINE)) expect(loadedFrom(r.sources, folder), name).toBe(false);
  });

  it("status loads neither the doctor, the diagnostics, yazl nor the system store's reader", async () => {
    const r = await traced(["status", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ["command", "diagnostics", "yazl", "systemCa"] as const)
      expect(loadedFrom(r.sources, MINE[name]), name).toBe(false);
  });

  it("doctor loads yazl only to export, and the system store's reader only with --use-system-ca", async () => {
    const plain = await traced(["doctor", "--json"]);
    expect(loadedFrom(plain.sources, MINE.command)).toBe(true);
    expect(loadedFrom(plain.sources, MINE.yazl)).toBe(false);
    expect(loadedFrom(plain.sources, MINE.systemCa)).toBe(false);
    const exported = await traced(["doctor", "--json", "--export", join(scratch, "traced.zip")]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(loadedFrom(exported.sources, MINE.yazl)).toBe(true);
    // The OS store is read with system-ca on Linux (elsewhere by Node itself, where Node is new enough).
    if (process.platform === "linux") {
      const withStore = await traced(["doctor", "--json", "--use-system-ca"]);
      expect(withStore.code, withStore.stderr).toBe(0);
      expect(loadedFrom(withStore.sources, MINE.systemCa)).toBe(true);
    }
  });
});
