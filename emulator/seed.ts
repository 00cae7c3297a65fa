import { stableGuid } from "./ids.js";
import type { AccessId, DirectoryGroup, EmulatedGroup, EmulatedUser, Eligibility, GroupPolicy } from "./model.js";

export interface TenantSeed {
  tenantId: string;
  domain: string;
  users: EmulatedUser[];
  /** The groups PIM manages (PIM for Groups). */
  groups: EmulatedGroup[];
  /** Directory groups PIM does not manage, with their members: the ones approval policies name as approvers. */
  approverGroups: DirectoryGroup[];
  /** Keyed by `${groupId}:${accessId}`. Groups without an entry get PIM's default policy. */
  policies: Map<string, GroupPolicy>;
  eligibilities: Eligibility[];
}

export const DEMO_TENANT_ID = "7f3c1a52-8d4e-4b8a-9c61-2f5e8a1d4c90";
export const DEMO_DOMAIN = "contoso.example";

export const DEMO_USERS = {
  adele: stableGuid("user:adele"),
  megan: stableGuid("user:megan"),
  alex: stableGuid("user:alex"),
} as const;

/** Group ids of the demo tenant, by a short key used in tests and docs. */
export const DEMO_GROUPS = {
  financeAdmins: stableGuid("group:finance-admins"),
  helpdesk: stableGuid("group:helpdesk-operators"),
  productionDeploy: stableGuid("group:production-deploy"),
  tenantAdmins: stableGuid("group:tenant-admins"),
  exchangeAdmins: stableGuid("group:exchange-admins"),
  keyVaultOfficers: stableGuid("group:key-vault-officers"),
  sharePointAdmins: stableGuid("group:sharepoint-site-admins"),
  legacyBilling: stableGuid("group:legacy-billing"),
  contractors: stableGuid("group:contractor-access"),
  platformOpsEu: stableGuid("group:platform-ops-eu"),
  platformOpsUs: stableGuid("group:platform-ops-us"),
} as const;

/**
 * Directory groups that approval policies name as approvers (Graph `groupMembers`, ARM `userType: "Group"`): not
 * PIM-managed, so not in DEMO_GROUPS. Every member approves, except on their own request.
 */
export const DEMO_APPROVER_GROUPS = {
  /** Members: Megan. Approves Groups Administrator (directory role) and Contributor on kv-prod-secrets (Azure). */
  pimApprovers: stableGuid("group:pim-approvers"),
  /** Members: Adele and Alex. The second stage of Tenant Admins (owner) and of Owner on kv-prod-secrets. */
  securityReviewers: stableGuid("group:security-reviewers"),
} as const;

const DAY = 86_400_000;

export function policyKey(groupId: string, accessId: AccessId): string {
  return `${groupId}:${accessId}`;
}

/** PIM's documented default for an unconfigured group role: 8 h, justification, no approval. */
export function defaultPolicy(groupId: string, accessId: AccessId): GroupPolicy {
  return {
    maximumDuration: "PT8H",
    enabledRules: ["Justification"],
    approvalRequired: false,
    approverUserIds: [],
    authenticationContext: null,
    policyGuid: stableGuid(`policy:${groupId}:${accessId}`),
  };
}

function policy(groupId: string, accessId: AccessId, p: Partial<GroupPolicy>): [string, GroupPolicy] {
  return [policyKey(groupId, accessId), { ...defaultPolicy(groupId, accessId), ...p }];
}

function group(id: string, displayName: string, description: string, mailNickname?: string): EmulatedGroup {
  return {
    id,
    displayName,
    description,
    mailNickname: mailNickname ?? displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    mail: null,
  };
}

function eligibility(
  groupId: string,
  principalId: string,
  accessId: AccessId,
  now: number,
  end: number | null = null,
): Eligibility {
  const created = new Date(now - 90 * DAY).toISOString();
  return {
    id: `${groupId}_${accessId}_${stableGuid(`elig:${groupId}:${principalId}:${accessId}`)}`,
    groupId,
    principalId,
    accessId,
    memberType: "direct",
    startDateTime: created,
    endDateTime: end === null ? null : new Date(end).toISOString(),
    createdDateTime: created,
  };
}

/** The demo tenant: every policy case a user meets, for demo mode and the tests. */
export function demoTenant(now: number): TenantSeed {
  const g = DEMO_GROUPS;
  const u = DEMO_USERS;
  const users: EmulatedUser[] = [
    { id: u.adele, displayName: "Adele Vance", userPrincipalName: `adele@${DEMO_DOMAIN}`, sessionHasMfa: false },
    { id: u.megan, displayName: "Megan Bowen", userPrincipalName: `megan@${DEMO_DOMAIN}`, sessionHasMfa: true },
    { id: u.alex, displayName: "Alex Wilber", userPrincipalName: `alex@${DEMO_DOMAIN}`, sessionHasMfa: true },
  ];
  const groups = [
    group(g.financeAdmins, "Finance Admins", "No approval, up to 8 hours"),
    group(g.helpdesk, "Helpdesk Operators", "Up to 1 hour"),
    group(g.productionDeploy, "Production Deploy", "Justification and ticket required"),
    group(g.tenantAdmins, "Tenant Admins", "Approval by Megan Bowen required"),
    group(g.exchangeAdmins, "Exchange Admins", "MFA required"),
    group(g.keyVaultOfficers, "Key Vault Officers", "Authentication context c1 required"),
    group(g.sharePointAdmins, "SharePoint Site Admins", "Member and owner eligibility"),
    group(g.legacyBilling, "Legacy Billing", "Eligibility expired"),
    group(g.contractors, "Contractor Access", "Eligibility ends in 30 days"),
    group(g.platformOpsEu, "Platform Ops", "Platform operations (EU)", "platform-ops-eu"),
    group(g.platformOpsUs, "Platform Ops", "Platform operations (US)", "platform-ops-us"),
  ];
  const approverGroups: DirectoryGroup[] = [
    {
      ...group(DEMO_APPROVER_GROUPS.pimApprovers, "PIM Approvers", "Approves privileged access requests"),
      memberIds: [u.megan],
    },
    {
      ...group(
        DEMO_APPROVER_GROUPS.securityReviewers,
        "Security Reviewers",
        "Second-stage reviewers of privileged access",
      ),
      memberIds: [u.adele, u.alex],
    },
  ];
  const policies = new Map<string, GroupPolicy>([
    policy(g.financeAdmins, "member", { maximumDuration: "PT8H", enabledRules: ["Justification"] }),
    policy(g.helpdesk, "member", { maximumDuration: "PT1H", enabledRules: ["Justification"] }),
    policy(g.productionDeploy, "member", { maximumDuration: "PT4H", enabledRules: ["Justification", "Ticketing"] }),
    policy(g.tenantAdmins, "member", {
      maximumDuration: "PT2H",
      enabledRules: ["Justification"],
      approvalRequired: true,
      approverUserIds: [u.megan],
    }),
    // Serial approval: Megan, then any Security Reviewer (Adele, as Alex asks).
    policy(g.tenantAdmins, "owner", {
      maximumDuration: "PT2H",
      enabledRules: ["Justification"],
      approvalRequired: true,
      approvalStages: [[u.megan], [{ groupId: DEMO_APPROVER_GROUPS.securityReviewers }]],
    }),
    policy(g.exchangeAdmins, "member", {
      maximumDuration: "PT4H",
      enabledRules: ["MultiFactorAuthentication", "Justification"],
    }),
    policy(g.keyVaultOfficers, "member", {
      maximumDuration: "PT2H",
      enabledRules: ["Justification"],
      authenticationContext: "c1",
    }),
    policy(g.sharePointAdmins, "member", { maximumDuration: "PT8H", enabledRules: [] }),
    policy(g.sharePointAdmins, "owner", { maximumDuration: "PT2H", enabledRules: ["Justification"] }),
    policy(g.contractors, "member", { maximumDuration: "PT4H", enabledRules: ["Justification"] }),
    policy(g.platformOpsEu, "member", { maximumDuration: "PT8H", enabledRules: ["Justification"] }),
    policy(g.platformOpsUs, "member", { maximumDuration: "PT8H", enabledRules: ["Justification"] }),
  ]);
  const eligibilities: Eligibility[] = [
    eligibility(g.financeAdmins, u.adele, "member", now),
    eligibility(g.helpdesk, u.adele, "member", now),
    eligibility(g.productionDeploy, u.adele, "member", now),
    eligibility(g.tenantAdmins, u.adele, "member", now),
    eligibility(g.exchangeAdmins, u.adele, "member", now),
    eligibility(g.keyVaultOfficers, u.adele, "member", now),
    eligibility(g.sharePointAdmins, u.adele, "member", now),
    eligibility(g.sharePointAdmins, u.adele, "owner", now),
    eligibility(g.legacyBilling, u.adele, "member", now, now - 2 * DAY),
    eligibility(g.contractors, u.adele, "member", now, now + 30 * DAY),
    eligibility(g.platformOpsEu, u.adele, "member", now),
    eligibility(g.platformOpsUs, u.adele, "member", now),
    eligibility(g.financeAdmins, u.megan, "member", now),
    eligibility(g.exchangeAdmins, u.alex, "member", now),
    eligibility(g.keyVaultOfficers, u.alex, "member", now),
    eligibility(g.financeAdmins, u.alex, "member", now),
    eligibility(g.tenantAdmins, u.alex, "owner", now),
  ];
  return { tenantId: DEMO_TENANT_ID, domain: DEMO_DOMAIN, users, groups, approverGroups, policies, eligibilities };
}

/** Deterministic PRNG so that generated tenants are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The policy mix of the generated directory and Azure roles: 60 % plain, 15 % approval, 15 % MFA, 10 % ticket. The
 * i-th item's kind follows a golden-ratio sequence rather than the PRNG, so even a few dozen items hold every kind.
 */
export type GeneratedPolicyKind = "plain" | "approval" | "mfa" | "ticket";
export function generatedPolicyKind(i: number): GeneratedPolicyKind {
  const r = (i * 0.618_033_988_749_895 + 0.5) % 1;
  return r < 0.6 ? "plain" : r < 0.75 ? "approval" : r < 0.9 ? "mfa" : "ticket";
}

/**
 * The demo tenant plus `groupCount` generated groups for Adele, with a realistic policy mix
 * (mostly plain, some approval, some MFA, some ticketing), for benchmarks. The other planes' generated
 * eligibilities come from largeRoles (emulator/roles/seed.ts) and largeArm (emulator/arm/seed.ts).
 */
export function largeTenant(now: number, groupCount: number, seed = 42): TenantSeed {
  const base = demoTenant(now);
  const rnd = mulberry32(seed);
  const areas = ["Finance", "Sales", "Platform", "Data", "Security", "Identity", "Network", "Billing", "HR", "Legal"];
  const roles = ["Admins", "Operators", "Readers", "Deployers", "Auditors", "Owners"];
  for (let i = 0; i < groupCount; i++) {
    const id = stableGuid(`gen-group:${seed}:${i}`);
    const name = `${areas[i % areas.length]} ${roles[Math.floor(i / areas.length) % roles.length]} ${String(i).padStart(4, "0")}`;
    base.groups.push(group(id, name, "Generated"));
    const r = rnd();
    const accessId: AccessId = rnd() < 0.15 ? "owner" : "member";
    const p: Partial<GroupPolicy> =
      r < 0.6
        ? { maximumDuration: ["PT1H", "PT2H", "PT4H", "PT8H"][Math.floor(rnd() * 4)] ?? "PT8H" }
        : r < 0.75
          ? { approvalRequired: true, approverUserIds: [DEMO_USERS.megan] }
          : r < 0.9
            ? { enabledRules: ["MultiFactorAuthentication", "Justification"] }
            : { enabledRules: ["Justification", "Ticketing"] };
    const [key, pol] = policy(id, accessId, p);
    base.policies.set(key, pol);
    base.eligibilities.push(eligibility(id, DEMO_USERS.adele, accessId, now));
  }
  return base;
}
