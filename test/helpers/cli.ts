import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { EmulatorSettings, RunningEmulator } from "../../emulator/index.js";
import { startTestEmulator } from "./emulator.js";

/** `pimtray` as npm installs it: bin/pimtray.cjs, which runs the built CLI (dist/cli) through its code cache. */
export const CLI = join(process.cwd(), "bin", "pimtray.cjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs pimtray as a child process against an emulator, as a script would. */
export class CliHarness {
  readonly configDir = mkdtempSync(join(tmpdir(), "pimtray-cli-"));
  /** Everything every run printed, for the no-secrets assertions. */
  readonly transcript: string[] = [];

  constructor(readonly emu: RunningEmulator) {}

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_EXTRA_CA_CERTS: this.emu.caCertPath,
      PIMTRAY_AUTHORITY_HOST: this.emu.origin,
      PIMTRAY_GRAPH_ENDPOINT: this.emu.origin,
      PIMTRAY_ARM_ENDPOINT: this.emu.armBaseUrl,
      PIMTRAY_TENANT: this.emu.tenantId,
      PIMTRAY_CONFIG_DIR: this.configDir,
      NO_COLOR: "1",
      ...extra,
    };
  }

  spawn(args: string[], extraEnv: Record<string, string> = {}): ChildProcess & { result: Promise<CliResult> } {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: this.env(extraEnv),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const result = new Promise<CliResult>((resolve) =>
      child.on("close", (code) => {
        this.transcript.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      }),
    );
    return Object.assign(child, { result });
  }

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    return this.spawn(args, extraEnv).result;
  }

  async json<T = any>(args: string[]): Promise<{ code: number | null; body: T; stderr: string }> {
    const r = await this.run([...args, "--json"]);
    let body: T;
    try {
      body = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as T;
    } catch {
      throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
    }
    return { code: r.code, body, stderr: r.stderr };
  }

  /** Signs Adele (or another user) in through the device-code flow, approved by the emulator. */
  async login(user = "adele"): Promise<void> {
    await this.emu.control.configure({ deviceCodeAutoApprove: user, deviceCodeIntervalSeconds: 0 });
    const r = await this.run(["login", "--device-code"]);
    if (r.code !== 0) throw new Error(`login failed: ${r.stdout}${r.stderr}`);
  }

  /** Every file in the config folder except the token cache, which holds tokens by design. */
  filesExceptCache(): Array<{ name: string; text: string }> {
    return readdirSync(this.configDir)
      .filter((f) => f !== "msal-cache.json" && statSync(join(this.configDir, f)).isFile())
      .map((f) => ({ name: f, text: readFileSync(join(this.configDir, f), "utf8") }));
  }

  /** Access and refresh tokens as stored in the token cache. */
  cachedSecrets(): string[] {
    try {
      const cache = JSON.parse(readFileSync(join(this.configDir, "msal-cache.json"), "utf8")) as Record<
        string,
        Record<string, { secret?: string }>
      >;
      return Object.values(cache)
        .flatMap((section) => Object.values(section ?? {}).map((e) => e.secret ?? ""))
        .filter((s) => s.length > 20);
    } catch {
      return [];
    }
  }

  /** No token from the cache appears in any output, log, history or settings file; no JWT at all. */
  expectNoSecrets(check: typeof expect = expect): void {
    const secrets = this.cachedSecrets();
    check(secrets.length).toBeGreaterThan(0);
    const everything = [...this.transcript, ...this.filesExceptCache().map((f) => f.text)].join("\n");
    for (const s of secrets) check(everything.includes(s)).toBe(false);
    check(everything).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/);
  }

  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}

export const POST_REQUESTS = "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";

export type CliSuite = { emu: Awaited<ReturnType<typeof startTestEmulator>>; cli: CliHarness };

/** An emulator and a signed-in CLI for a test file. */
export async function startCliSuite(settings: Partial<EmulatorSettings>): Promise<CliSuite> {
  const emu = await startTestEmulator({ settings });
  const cli = new CliHarness(emu);
  await cli.login();
  return { emu, cli };
}

/** Ends the suite; by default first asserts that no token leaked anywhere. */
export async function endCliSuite(s: CliSuite, checkSecrets = true): Promise<void> {
  if (checkSecrets) s.cli.expectNoSecrets(expect);
  s.cli.cleanup();
  await s.emu.stop();
}

/** Each test starts with no requests, activations, faults or log entries. */
export function resetPim(emu: RunningEmulator): void {
  emu.emulator.pim.requests.clear();
  emu.emulator.pim.instances.clear();
  emu.emulator.faults.clear();
  emu.emulator.log.clear();
}
