import {
  accountCheck,
  autostartCheck,
  notificationsCheck,
  policyCheck,
  tokenCacheCheck,
  updateCheck,
  versionsCheck,
  type AccountProbe,
  type AutostartInfo,
  type NotificationInfo,
  type PlaneName,
  type PolicyProbeResult,
  type TokenCacheInfo,
  type UpdateInfo,
  type Versions,
} from "./checks-local.js";
import { clockCheck, endpointCheck, inspectionCheck, proxyCheck, type EndpointRole } from "./checks-network.js";
import type { ProxySetting } from "./proxy-env.js";
import type { ReachResult } from "./reach.js";
import type { Check, CheckStatus, DoctorReport, FrontEnd } from "./types.js";

// `pimtray doctor` and the tray's "Troubleshoot…": every check over probes the front end hands in, so the
// same checks run under the CLI (Node's https, HTTPS_PROXY, a file cache) and the app (net.fetch, the
// system proxy, safeStorage). A probe that throws becomes a failed check that says so; it never ends the run.

export interface DoctorProbes {
  frontEnd: FrontEnd;
  /** The effective connection's endpoints: the sign-in host, Graph, and ARM (null when Azure roles are off for it). */
  endpoints: { signin: string; graph: string; arm: string | null };
  /** Custom endpoints (the emulator, a test tenant): their certificates' issuer is not compared with Microsoft's. */
  customEndpoints: boolean;
  /** One look at an endpoint (reach.ts's `reach` over the front end's fetch). */
  reach: (url: string) => Promise<ReachResult>;
  /** The proxy in use: from the environment (CLI) or as the app resolved the system's. */
  proxy: () => Promise<ProxySetting>;
  tokenCache: () => Promise<TokenCacheInfo>;
  /** The signed-in account with its cached tokens' scopes; null when nobody is signed in. */
  account: () => Promise<AccountProbe | null>;
  /** What each plane asks for (the connection's planeScopes) and which planes are on. */
  planeScopes: Record<PlaneName, string[]>;
  planesEnabled: () => Promise<Record<PlaneName, boolean>>;
  /** The effective managed policy and its sources; the check is skipped without it. */
  policy?: () => Promise<PolicyProbeResult>;
  notifications?: () => Promise<NotificationInfo>;
  autostart?: () => Promise<AutostartInfo>;
  update?: () => Promise<UpdateInfo>;
  versions: () => Promise<Versions>;
  /** Checks only this front end makes (the CLI's settings file, its --use-system-ca), shown after the proxy. */
  extraChecks?: Check[];
  now?: () => number;
}

/** The order checks are shown in, and their ids (stable, documented). */
export const CHECK_IDS = [
  "versions",
  "proxy",
  "reach.signin",
  "reach.graph",
  "reach.arm",
  "tls.inspection",
  "clock",
  "token-cache",
  "account",
  "policy",
  "notifications",
  "autostart",
  "update",
] as const;

const TITLES: Record<(typeof CHECK_IDS)[number], string> = {
  versions: "Versions",
  proxy: "Proxy",
  "reach.signin": "Sign-in host",
  "reach.graph": "Microsoft Graph",
  "reach.arm": "Azure Resource Manager",
  "tls.inspection": "TLS inspection",
  clock: "Clock",
  "token-cache": "Token cache",
  account: "Account and consent",
  policy: "Managed policy",
  notifications: "Notifications",
  autostart: "Start at login",
  update: "Updates",
};

/** Thrown by a probe that cannot look (e.g. no configuration to look with): its check is skipped, saying why. */
export class SkipCheck extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SkipCheck";
  }
}

function failedProbe(id: (typeof CHECK_IDS)[number], e: unknown): Check {
  if (e instanceof SkipCheck)
    return { id, title: TITLES[id], status: "skip", detail: `Not checked: ${e.message}.`, fix: null };
  const message = e instanceof Error ? e.message : String(e);
  return {
    id,
    title: TITLES[id],
    status: "fail",
    detail: `The check itself failed: ${message}`,
    fix: "Run the doctor again; if this persists, export diagnostics and send the file to your IT department.",
  };
}

async function guarded(id: (typeof CHECK_IDS)[number], run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (e) {
    return failedProbe(id, e);
  }
}

const RANK: Record<CheckStatus, number> = { skip: 0, ok: 0, warn: 1, fail: 2 };

export function overall(checks: Check[]): DoctorReport["status"] {
  const worst = Math.max(0, ...checks.map((c) => RANK[c.status]));
  return worst === 2 ? "fail" : worst === 1 ? "warn" : "ok";
}

/** Runs every check; the network checks at once, so a dead network costs one timeout, not three. */
export async function runDoctor(p: DoctorProbes): Promise<DoctorReport> {
  const now = p.now ?? Date.now;
  const roles: EndpointRole[] = ["signin", "graph", "arm"];
  const reaching = Promise.all(
    roles.map((role) => {
      const url = p.endpoints[role];
      return url ? p.reach(url).catch((e: unknown) => e) : Promise.resolve(null);
    }),
  );
  const [versions, proxySetting, cache, account, policy, notifications, autostart, update] = await Promise.all([
    guarded("versions", async () => versionsCheck(await p.versions())),
    p.proxy().catch((e: unknown) => e),
    guarded("token-cache", async () => tokenCacheCheck(await p.tokenCache(), p.frontEnd)),
    guarded("account", async () => accountCheck(await p.account(), p.planeScopes, await p.planesEnabled(), p.frontEnd)),
    guarded("policy", async () => policyCheck(p.policy ? await p.policy() : null, p.frontEnd)),
    guarded("notifications", async () =>
      notificationsCheck(p.notifications ? await p.notifications() : null, p.frontEnd),
    ),
    guarded("autostart", async () => autostartCheck(p.autostart ? await p.autostart() : null)),
    guarded("update", async () => updateCheck(p.update ? await p.update() : null, p.frontEnd)),
  ]);
  const reached = await reaching;
  const endpointChecks = roles.map((role, i) => {
    const r = reached[i];
    return r instanceof Error || (r !== null && typeof r !== "object")
      ? failedProbe(`reach.${role}`, r)
      : endpointCheck(role, r as ReachResult | null, p.frontEnd);
  });
  const results = reached.filter((r): r is ReachResult => r !== null && !(r instanceof Error) && typeof r === "object");
  const proxy =
    proxySetting instanceof Error || !proxySetting
      ? failedProbe("proxy", proxySetting)
      : proxyCheck(proxySetting as ProxySetting, results);
  const checks = [
    versions,
    proxy,
    ...(p.extraChecks ?? []),
    ...endpointChecks,
    inspectionCheck(results, p.customEndpoints, p.frontEnd),
    clockCheck(results),
    cache,
    account,
    policy,
    notifications,
    autostart,
    update,
  ];
  return { schemaVersion: 1, generatedAt: new Date(now()).toISOString(), status: overall(checks), checks };
}
