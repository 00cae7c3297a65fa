// npm run bench: PIM Tray's engine against a typical activation script, on the emulator with a
// realistic latency model (100–300 ms per Graph call, provisioning after a random 1–8 s).
// Results are printed and written to bench-results/activation.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { Agent, fetch as undiciFetch } from "undici";
import { startEmulator, type RunningEmulator } from "../emulator/index.js";
import { engineAgainst } from "../test/helpers/engine.js";
import { DEFAULT_CLIENT_ID } from "../electron/engine/config.js";
import type { Engine } from "../electron/engine/engine.js";
import { kindOf, targetKey } from "../electron/engine/planes/targets.js";
import type { ActivationOutcome } from "../electron/engine/activation/activation-service.js";
import type { Profile, ProfileTarget } from "../electron/engine/profiles/settings-schema.js";
import { profileTargetOf, profileTargets } from "../electron/cli/targets.js";
import { HttpClient, type FetchLike } from "../electron/engine/http/http-client.js";
import { MsalNetworkModule } from "../electron/engine/auth/msal-network.js";
import { quantile, stats } from "./stats.js";

const PROFILE_SIZE = Number(process.env.BENCH_PROFILE_SIZE ?? 20);
/** The mixed profile of issue 10: groups, Entra ID roles and Azure roles activated together. */
const MIXED = { group: 6, role: 6, azure: 8 } as const;
/** Issue 12: at least 30 samples for every latency figure. */
const SINGLE_RUNS = Number(process.env.BENCH_SINGLE_RUNS ?? 30);
/** A profile of 20 on each plane, as issue 12 asks (plain targets: no approval, MFA, ticket or context). */
const PER_PLANE = Number(process.env.BENCH_PER_PLANE ?? 20);
const BASELINE_POLL_MS = 10_000;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emulatorFetch(caPem: string): FetchLike {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}

async function setLatencyModel(emu: RunningEmulator): Promise<void> {
  await emu.control.clearFaults();
  await emu.control.addFaults([
    { kind: "latency", minMs: 100, maxMs: 300, path: "/v1.0/" },
    // Azure Resource Manager, with the same model.
    { kind: "latency", minMs: 100, maxMs: 300, path: "/arm/" },
  ]);
  await emu.control.configure({
    provisioningDelayMs: 1000,
    provisioningDelayMaxMs: 8000,
    deviceCodeAutoApprove: "adele",
    deviceCodeIntervalSeconds: 0,
  });
}

/** Server-side provisioning time of each request, from the emulator. */
async function provisionedAt(emu: RunningEmulator): Promise<Map<string, number>> {
  const view = (await emu.control.pimRequests()) as Array<{ id: string; completedDateTime?: string | null }>;
  return new Map(view.filter((r) => r.completedDateTime).map((r) => [r.id, Date.parse(r.completedDateTime ?? "")]));
}

interface RunStats {
  requestsPerActivation: number;
  lagsMs: number[];
  wallMs: number;
  /** Each single activation's wall time, submit to provisioned known. */
  singleWallsMs?: number[];
}

/**
 * A profile run as \`pimtray activate NAME --profile\` makes it (and the app's profile activation): the profile's
 * stored targets, with nothing read to find them; each plane reads what it needs while activating (an Azure
 * activation links its eligibility, read once for all of the profile's Azure targets).
 */
async function runProfile(engine: Engine, stored: ProfileTarget[]): Promise<ActivationOutcome[]> {
  const profile = { name: "bench", targets: stored } as unknown as Profile; // only the targets are read
  const targets = profileTargets(profile, []);
  return engine.activation.activateMany(
    targets.map((target) => ({ target, durationMs: 3600_000, justification: "bench" })),
    { waitFor: "provisioned", timeoutMs: 120_000 },
  );
}

/** PIM Tray: signed in once; names resolved from one eligibility list; tracked on its schedule. */
async function benchEngine(
  emu: RunningEmulator,
  engine: Engine,
  groups: Array<{ id: string; name: string }>,
): Promise<{ single: RunStats; profile: RunStats }> {
  // Single activations, one at a time, each resolved by name as the CLI does.
  const singleLags: number[] = [];
  const singleCounts: number[] = [];
  const singleWalls: number[] = [];
  for (const g of groups.slice(0, SINGLE_RUNS)) {
    await emu.control.clearRequests();
    const eligibilities = await engine.pim.eligibilities();
    const target = eligibilities.find((e) => e.groupName === g.name);
    if (!target) throw new Error(`not eligible: ${g.name}`);
    const started = Date.now();
    const outcome = await engine.activation.activate(
      {
        target: { groupId: target.groupId, accessId: target.accessId, groupName: target.groupName },
        durationMs: 3600_000,
        justification: "bench",
      },
      { waitFor: "provisioned", timeoutMs: 60_000 },
    );
    const reportedAt = Date.now();
    singleWalls.push(reportedAt - started);
    if (outcome.status !== "active" || !outcome.requestId) throw new Error(`engine activation ended ${outcome.status}`);
    const at = (await provisionedAt(emu)).get(outcome.requestId);
    if (at) singleLags.push(reportedAt - at);
    singleCounts.push((await emu.control.requests()).length);
  }
  // A profile of PROFILE_SIZE groups (the remaining ones), activated together.
  const rest = groups.slice(SINGLE_RUNS, SINGLE_RUNS + PROFILE_SIZE);
  // The profile is saved beforehand (choosing its groups is not counted), then run as a profile runs.
  const eligibilities = await engine.planes.for("group").eligibilities();
  const stored = rest.map((g) => {
    const e = eligibilities.find((x) => x.groupName === g.name);
    if (!e) throw new Error(`not eligible: ${g.name}`);
    return profileTargetOf(e);
  });
  engine.planes.invalidatePolicies();
  await emu.control.clearRequests();
  const t0 = Date.now();
  const outcomes = await runProfile(engine, stored);
  const wallMs = Date.now() - t0;
  const failed = outcomes.filter((o) => o.status !== "active");
  if (failed.length)
    throw new Error(
      `${failed.length} profile activations did not end active: ${failed.map((o) => o.error?.message ?? o.status).join("; ")}`,
    );
  const profileRequests = (await emu.control.requests()).length;
  return {
    single: { requestsPerActivation: mean(singleCounts), lagsMs: singleLags, wallMs: 0, singleWallsMs: singleWalls },
    profile: { requestsPerActivation: profileRequests / rest.length, lagsMs: [], wallMs },
  };
}

/**
 * A mixed profile (6 groups, 6 directory roles, 8 Azure roles), each target plain (no approval,
 * MFA, ticket or authentication context), chosen from the app's list and then run as a saved profile.
 */
/** Targets already activated by an earlier profile: a profile never picks one twice. */
const used = new Set<string>();

async function benchMixed(
  emu: RunningEmulator,
  engine: Engine,
  usedGroups: Set<string>,
  counts: Record<keyof typeof MIXED, number> = MIXED,
): Promise<RunStats> {
  // Choosing the targets is the bench's business, not the activation's: it is not counted, and the
  // policies it read are forgotten so that each activation reads its own, as in the groups profile.
  const rows = await engine.eligibleWithPolicies();
  const plain = rows.filter(
    ({ eligibility: e, policy: p }) =>
      !p.approvalRequired &&
      !p.mfaRequired &&
      !p.ticketRequired &&
      !p.authContext &&
      !(e.kind === undefined || e.kind === "group" ? usedGroups.has(e.groupId) : false),
  );
  const pick = (k: keyof typeof MIXED) =>
    plain.filter((r) => kindOf(r.eligibility) === k && !used.has(targetKey(r.eligibility))).slice(0, counts[k]);
  const chosen = [...pick("group"), ...pick("role"), ...pick("azure")];
  for (const k of Object.keys(MIXED) as Array<keyof typeof MIXED>)
    if (pick(k).length < counts[k]) throw new Error(`only ${pick(k).length} plain ${k} eligibilities`);
  for (const c of chosen) used.add(targetKey(c.eligibility));
  engine.planes.invalidatePolicies();
  await emu.control.clearRequests();
  const t0 = Date.now();
  const outcomes = await runProfile(
    engine,
    chosen.map(({ eligibility }) => profileTargetOf(eligibility)),
  );
  const wallMs = Date.now() - t0;
  const failed = outcomes.filter((o) => o.status !== "active");
  if (failed.length)
    throw new Error(
      `${failed.length} mixed-profile activations did not end active: ${failed.map((o) => o.error?.message ?? o.status).join("; ")}`,
    );
  return { requestsPerActivation: (await emu.control.requests()).length / chosen.length, lagsMs: [], wallMs };
}

/**
 * What a typical activation script does (see docs/pim-tools field notes): sign in afresh, look the
 * group up by display name, read the eligibilities, POST, then poll the request every 10 s, one
 * group after another.
 */
async function baselineActivate(
  emu: RunningEmulator,
  network: MsalNetworkModule,
  groupName: string,
): Promise<{ requests: number; lagMs: number; wallMs: number }> {
  const before = (await emu.control.requests()).length;
  const t0 = Date.now();
  const pca = new PublicClientApplication({
    auth: { clientId: DEFAULT_CLIENT_ID, authority: emu.authority, knownAuthorities: [new URL(emu.origin).host] },
    system: { networkClient: network },
  });
  const auth = await pca.acquireTokenByDeviceCode({
    scopes: [
      "https://graph.microsoft.com/Group.Read.All",
      "https://graph.microsoft.com/PrivilegedEligibilitySchedule.Read.AzureADGroup",
      "https://graph.microsoft.com/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    ],
    deviceCodeCallback: () => undefined,
  });
  if (!auth) throw new Error("baseline sign-in failed");
  const f = emulatorFetch(emu.caPem);
  const get = async (path: string) => {
    const r = await f(`${emu.graphBaseUrl}/${path}`, {
      method: "GET",
      headers: { authorization: `Bearer ${auth.accessToken}` },
      signal: AbortSignal.timeout(30_000),
    });
    return JSON.parse(await r.text()) as { value?: Array<{ id: string }>; status?: string };
  };
  const groups = await get(`groups?$filter=displayName eq '${encodeURIComponent(groupName)}'`);
  const groupId = groups.value?.[0]?.id as string;
  await get(`identityGovernance/privilegedAccess/group/eligibilitySchedules/filterByCurrentUser(on='principal')`);
  const post = await f(`${emu.graphBaseUrl}/identityGovernance/privilegedAccess/group/assignmentScheduleRequests`, {
    method: "POST",
    headers: { authorization: `Bearer ${auth.accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      accessId: "member",
      principalId: auth.account?.localAccountId,
      groupId,
      action: "selfActivate",
      justification: "bench",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const created = JSON.parse(await post.text()) as { id: string; status: string };
  let status = created.status;
  while (status !== "Provisioned") {
    await sleep(BASELINE_POLL_MS);
    status = (await get(`identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${created.id}`))
      .status as string;
  }
  const reportedAt = Date.now();
  const at = (await provisionedAt(emu)).get(created.id) ?? reportedAt;
  return { requests: (await emu.control.requests()).length - before, lagMs: reportedAt - at, wallMs: reportedAt - t0 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "pimtray-bench-"));
  // Enough plain roles and Azure roles for a profile of 20 on each plane and the mixed profile besides.
  const emu = await startEmulator({ port: 0, dataDir, seed: { kind: "large", groups: 200, roles: 120, azure: 150 } });
  try {
    // Plain generated groups (no approval, MFA or ticket), so every activation can provision.
    const plain = emu.emulator.pim.tenant.groups
      .filter((g) => g.description === "Generated")
      .filter((g) => {
        const pol = emu.emulator.pim.tenant.policies.get(`${g.id}:member`);
        return (
          pol &&
          !pol.approvalRequired &&
          !pol.enabledRules.includes("MultiFactorAuthentication") &&
          !pol.enabledRules.includes("Ticketing")
        );
      })
      .map((g) => ({ id: g.id, name: g.displayName }));
    const need = SINGLE_RUNS + PROFILE_SIZE;
    if (plain.length < need * 2) throw new Error(`only ${plain.length} plain groups`);
    await setLatencyModel(emu);
    const engine = await engineAgainst(emu, dataDir);
    process.stdout.write(`PIM Tray engine: ${SINGLE_RUNS} single activations, then a profile of ${PROFILE_SIZE}…\n`);
    const ours = await benchEngine(emu, engine, plain.slice(0, need));
    process.stdout.write(
      `PIM Tray engine: a mixed profile of ${MIXED.group} groups, ${MIXED.role} Entra ID roles and ${MIXED.azure} Azure roles…\n`,
    );
    const usedGroups = new Set(plain.slice(0, need * 2).map((g) => g.id));
    const mixed = await benchMixed(emu, engine, usedGroups);
    process.stdout.write(`PIM Tray engine: a profile of ${PER_PLANE} Entra ID roles, then ${PER_PLANE} Azure roles…\n`);
    const roles = await benchMixed(emu, engine, usedGroups, { group: 0, role: PER_PLANE, azure: 0 });
    const azure = await benchMixed(emu, engine, usedGroups, { group: 0, role: 0, azure: PER_PLANE });

    process.stdout.write(
      `Baseline script: ${PROFILE_SIZE} activations, one after another, polling every ${BASELINE_POLL_MS / 1000} s…\n`,
    );
    const http = new HttpClient(emulatorFetch(emu.caPem));
    const network = new MsalNetworkModule(http);
    const base = { requests: [] as number[], lags: [] as number[], walls: [] as number[], wall: 0 };
    const t0 = Date.now();
    for (const g of plain.slice(need, need + PROFILE_SIZE)) {
      const r = await baselineActivate(emu, network, g.name);
      base.requests.push(r.requests);
      base.lags.push(r.lagMs);
      base.walls.push(r.wallMs);
    }
    base.wall = Date.now() - t0;

    const results = {
      date: new Date().toISOString(),
      model: {
        graphLatencyMs: [100, 300],
        provisioningMs: [1000, 8000],
        profileSize: PROFILE_SIZE,
        singleRuns: SINGLE_RUNS,
        baselinePollMs: BASELINE_POLL_MS,
      },
      pimTray: {
        requestsPerActivation: ours.single.requestsPerActivation,
        requestsPerActivationInProfile: ours.profile.requestsPerActivation,
        detectionLagMs: stats(ours.single.lagsMs),
        singleWallMs: stats(ours.single.singleWallsMs ?? []),
        profileWallMs: ours.profile.wallMs,
        profileWallToSingleMedian: ours.profile.wallMs / quantile(ours.single.singleWallsMs ?? [], 0.5),
        roleProfile: { size: PER_PLANE, wallMs: roles.wallMs, requestsPerActivation: roles.requestsPerActivation },
        azureProfile: { size: PER_PLANE, wallMs: azure.wallMs, requestsPerActivation: azure.requestsPerActivation },
        mixedProfile: {
          targets: MIXED,
          wallMs: mixed.wallMs,
          requestsPerActivation: mixed.requestsPerActivation,
        },
      },
      baseline: {
        requestsPerActivation: mean(base.requests),
        detectionLagMs: stats(base.lags),
        singleWallMs: stats(base.walls),
        profileWallMs: base.wall,
      },
    };
    const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);
    const rows: Array<[string, number, number, string]> = [
      ["requests per activation", results.pimTray.requestsPerActivation, results.baseline.requestsPerActivation, ""],
      ["detection lag, median (ms)", results.pimTray.detectionLagMs.median, results.baseline.detectionLagMs.median, ""],
      ["detection lag, p95 (ms)", results.pimTray.detectionLagMs.p95, results.baseline.detectionLagMs.p95, ""],
      ["detection lag, max (ms)", results.pimTray.detectionLagMs.max, results.baseline.detectionLagMs.max, ""],
      [
        "single activation wall, median (ms)",
        results.pimTray.singleWallMs.median,
        results.baseline.singleWallMs.median,
        "",
      ],
      ["single activation wall, p95 (ms)", results.pimTray.singleWallMs.p95, results.baseline.singleWallMs.p95, ""],
      ["single activation wall, max (ms)", results.pimTray.singleWallMs.max, results.baseline.singleWallMs.max, ""],
      [
        `profile of ${PROFILE_SIZE} groups, wall (ms)`,
        results.pimTray.profileWallMs,
        results.baseline.profileWallMs,
        "",
      ],
    ];
    const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
    process.stdout.write(
      `\n${"metric".padEnd(34)}${"PIM Tray".padStart(12)}${"baseline".padStart(12)}${"baseline ÷ PIM Tray".padStart(22)}\n`,
    );
    for (const [name, a, b] of rows)
      process.stdout.write(
        `${name.padEnd(34)}${fmt(a).padStart(12)}${fmt(b).padStart(12)}${ratio(b, a).toFixed(2).padStart(22)}\n`,
      );
    process.stdout.write(
      `(in a profile, PIM Tray makes ${fmt(results.pimTray.requestsPerActivationInProfile)} requests per activation)\n`,
    );
    process.stdout.write(
      `mixed profile (${MIXED.group} groups, ${MIXED.role} roles, ${MIXED.azure} Azure roles): wall ${fmt(mixed.wallMs)} ms, ${fmt(mixed.requestsPerActivation)} requests per activation (groups-only profile of ${PROFILE_SIZE}: ${fmt(ours.profile.wallMs)} ms, ${fmt(ours.profile.requestsPerActivation)})\n`,
    );
    process.stdout.write(
      `profile of ${PER_PLANE} Entra ID roles: wall ${fmt(roles.wallMs)} ms, ${fmt(roles.requestsPerActivation)} requests per activation; of ${PER_PLANE} Azure roles: wall ${fmt(azure.wallMs)} ms, ${fmt(azure.requestsPerActivation)}\n`,
    );
    process.stdout.write(
      `profile of ${PROFILE_SIZE} groups ÷ one activation's median wall: ${fmt(results.pimTray.profileWallToSingleMedian)} (goal ≤ 2)\n`,
    );
    mkdirSync("bench-results", { recursive: true });
    const out = join("bench-results", "activation.json");
    writeFileSync(
      out,
      `${JSON.stringify({ ...results, ratios: Object.fromEntries(rows.map(([n, a, b]) => [n, ratio(b, a)])) }, null, 2)}\n`,
    );
    process.stdout.write(`\nWritten to ${out}\n`);
  } finally {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
