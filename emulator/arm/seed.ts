// The demo tenant's Azure side: two subscriptions, their resource groups and resources, and
// Adele's Azure role eligibilities at subscription, resource-group and resource scope.
import { stableGuid } from "../ids.js";
import { DEMO_APPROVER_GROUPS, DEMO_USERS, generatedPolicyKind, mulberry32 } from "../seed.js";
import type {
  ArmEligibility,
  ArmInstance,
  ArmPolicy,
  ArmResource,
  ArmResourceGroup,
  ArmRoleDefinition,
  ArmSubscription,
} from "./model.js";

export const ARM_SUBSCRIPTIONS = {
  production: stableGuid("arm:sub:production"),
  development: stableGuid("arm:sub:development"),
} as const;

/** Built-in Azure role GUIDs (the same in every tenant). */
export const ARM_ROLES = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  websiteContributor: "de139f84-1756-47ae-9be6-808fbbe84772",
  virtualMachineContributor: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
} as const;

const P = `/subscriptions/${ARM_SUBSCRIPTIONS.production}`;
const D = `/subscriptions/${ARM_SUBSCRIPTIONS.development}`;

/** The demo scopes, by a short key used in tests and docs. */
export const ARM_SCOPES = {
  production: P,
  development: D,
  rgWeb: `${P}/resourceGroups/rg-web`,
  rgData: `${P}/resourceGroups/rg-data`,
  rgSandbox: `${D}/resourceGroups/rg-sandbox`,
  keyVault: `${P}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-prod-secrets`,
  webApp: `${P}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-contoso-web`,
} as const;

/** Eligibility schedule GUIDs of the demo tenant, by key. */
export const ARM_ELIGIBILITIES = {
  prodContributor: stableGuid("arm:elig:prod-contributor"),
  prodOwner: stableGuid("arm:elig:prod-owner"),
  devReader: stableGuid("arm:elig:dev-reader"),
  rgWebContributor: stableGuid("arm:elig:rg-web-contributor"),
  rgSandboxVmContributor: stableGuid("arm:elig:rg-sandbox-vm-contributor"),
  keyVaultSecretsOfficer: stableGuid("arm:elig:kv-secrets-officer"),
  webAppWebsiteContributor: stableGuid("arm:elig:webapp-website-contributor"),
  devUserAccessAdminExpired: stableGuid("arm:elig:dev-uaa-expired"),
  meganProdReader: stableGuid("arm:elig:megan-prod-reader"),
} as const;

export interface ArmSeed {
  subscriptions: ArmSubscription[];
  resourceGroups: ArmResourceGroup[];
  resources: ArmResource[];
  roles: ArmRoleDefinition[];
  eligibilities: ArmEligibility[];
  /** Keyed by `${scope lower-cased}|${roleGuid}`; a scope inherits its nearest ancestor's policy. */
  policies: Map<string, ArmPolicy>;
  /** Standing (Assigned) role assignments. */
  assignments: ArmInstance[];
}

export function armPolicyKey(scope: string, roleGuid: string): string {
  return `${scope.toLowerCase()}|${roleGuid.toLowerCase()}`;
}

/** PIM's default for an Azure role: 8 h, justification, no approval. */
export function defaultArmPolicy(scope: string, roleGuid: string): ArmPolicy {
  return {
    maximumDuration: "PT8H",
    enabledRules: ["Justification"],
    approvalRequired: false,
    approverUserIds: [],
    authenticationContext: null,
    policyGuid: stableGuid(`arm:policy:${scope.toLowerCase()}:${roleGuid}`),
  };
}

const DAY = 86_400_000;

export function demoArm(now: number): ArmSeed {
  const created = new Date(now - 60 * DAY).toISOString();
  const elig = (key: keyof typeof ARM_ELIGIBILITIES, scope: string, roleGuid: string, principalId: string) => ({
    scheduleGuid: ARM_ELIGIBILITIES[key],
    instanceGuid: stableGuid(`arm:elig-instance:${key}`),
    scope,
    roleGuid,
    principalId,
    startDateTime: created,
    endDateTime: null as string | null,
    createdOn: created,
  });
  const S = ARM_SCOPES;
  const R = ARM_ROLES;
  const expired = elig("devUserAccessAdminExpired", S.development, R.userAccessAdministrator, DEMO_USERS.adele);
  expired.endDateTime = new Date(now - 2 * DAY).toISOString();
  const policies = new Map<string, ArmPolicy>();
  const policy = (scope: string, roleGuid: string, p: Partial<ArmPolicy>) =>
    policies.set(armPolicyKey(scope, roleGuid), { ...defaultArmPolicy(scope, roleGuid), ...p });
  policy(S.production, R.contributor, { enabledRules: ["MultiFactorAuthentication", "Justification"] });
  policy(S.production, R.owner, {
    maximumDuration: "PT4H",
    enabledRules: ["Justification"],
    approvalRequired: true,
    approverUserIds: [DEMO_USERS.megan],
  });
  policy(S.development, R.reader, { enabledRules: [] });
  policy(S.rgWeb, R.contributor, { maximumDuration: "PT2H", enabledRules: ["Justification", "Ticketing"] });
  policy(S.rgSandbox, R.virtualMachineContributor, { authenticationContext: "c1" });
  policy(S.keyVault, R.keyVaultSecretsOfficer, { maximumDuration: "PT1H" });
  // Adele's Owner and Contributor on Contoso Production, narrowed to the key vault, meet the vault's own policies:
  // Owner is approved in two serial stages (Megan, then a Security Reviewer: Alex, as Adele asks); Contributor by any
  // member of PIM Approvers (Megan).
  policy(S.keyVault, R.owner, {
    maximumDuration: "PT2H",
    enabledRules: ["Justification"],
    approvalRequired: true,
    approvalStages: [[DEMO_USERS.megan], [{ groupId: DEMO_APPROVER_GROUPS.securityReviewers }]],
  });
  policy(S.keyVault, R.contributor, {
    maximumDuration: "PT4H",
    enabledRules: ["Justification"],
    approvalRequired: true,
    approverGroupIds: [DEMO_APPROVER_GROUPS.pimApprovers],
  });

  return {
    subscriptions: [
      { subscriptionId: ARM_SUBSCRIPTIONS.production, displayName: "Contoso Production" },
      { subscriptionId: ARM_SUBSCRIPTIONS.development, displayName: "Contoso Development" },
    ],
    resourceGroups: [
      { subscriptionId: ARM_SUBSCRIPTIONS.production, name: "rg-web", location: "westeurope" },
      { subscriptionId: ARM_SUBSCRIPTIONS.production, name: "rg-data", location: "westeurope" },
      { subscriptionId: ARM_SUBSCRIPTIONS.development, name: "rg-sandbox", location: "northeurope" },
    ],
    resources: [
      { id: S.keyVault, name: "kv-prod-secrets", type: "Microsoft.KeyVault/vaults" },
      { id: S.webApp, name: "app-contoso-web", type: "Microsoft.Web/sites" },
    ],
    roles: [
      { guid: R.owner, displayName: "Owner" },
      { guid: R.contributor, displayName: "Contributor" },
      { guid: R.reader, displayName: "Reader" },
      { guid: R.userAccessAdministrator, displayName: "User Access Administrator" },
      { guid: R.keyVaultSecretsOfficer, displayName: "Key Vault Secrets Officer" },
      { guid: R.websiteContributor, displayName: "Website Contributor" },
      { guid: R.virtualMachineContributor, displayName: "Virtual Machine Contributor" },
    ],
    eligibilities: [
      elig("prodContributor", S.production, R.contributor, DEMO_USERS.adele),
      elig("prodOwner", S.production, R.owner, DEMO_USERS.adele),
      elig("devReader", S.development, R.reader, DEMO_USERS.adele),
      elig("rgWebContributor", S.rgWeb, R.contributor, DEMO_USERS.adele),
      elig("rgSandboxVmContributor", S.rgSandbox, R.virtualMachineContributor, DEMO_USERS.adele),
      elig("keyVaultSecretsOfficer", S.keyVault, R.keyVaultSecretsOfficer, DEMO_USERS.adele),
      elig("webAppWebsiteContributor", S.webApp, R.websiteContributor, DEMO_USERS.adele),
      expired,
      elig("meganProdReader", S.production, R.reader, DEMO_USERS.megan),
    ],
    policies,
    assignments: [
      {
        // Adele's standing Reader on rg-sandbox: visible, never self-deactivatable.
        scheduleGuid: stableGuid("arm:assign:adele-rg-sandbox-reader"),
        instanceGuid: stableGuid("arm:assign-instance:adele-rg-sandbox-reader"),
        scope: S.rgSandbox,
        roleGuid: R.reader,
        principalId: DEMO_USERS.adele,
        assignmentType: "Assigned",
        startAt: now - 60 * DAY,
        endAt: null,
        linkedEligibility: null,
        requestName: null,
        createdOn: now - 60 * DAY,
      },
    ],
  };
}

/** Resource types a generated resource-scope eligibility sits on. */
const GENERATED_RESOURCE_TYPES = [
  { type: "Microsoft.Web/sites", prefix: "app", role: ARM_ROLES.websiteContributor },
  { type: "Microsoft.KeyVault/vaults", prefix: "kv", role: ARM_ROLES.keyVaultSecretsOfficer },
  { type: "Microsoft.Compute/virtualMachines", prefix: "vm", role: ARM_ROLES.virtualMachineContributor },
] as const;
const GENERATED_RG_ROLES = [
  ARM_ROLES.contributor,
  ARM_ROLES.reader,
  ARM_ROLES.owner,
  ARM_ROLES.userAccessAdministrator,
];

/**
 * The demo Azure side plus `count` generated eligibilities for Adele across the two demo subscriptions: about a tenth
 * at subscription scope (while unused subscription/role pairs last), half on their own generated resource group, the
 * rest on a generated resource in one of a few shared generated resource groups; with the groups generator's policy
 * mix (plain, approval by Megan, MFA, ticket). Each (scope, role) pair is used once. Deterministic for a given `seed`.
 */
export function largeArm(now: number, count: number, seed = 42): ArmSeed {
  const base = demoArm(now);
  const rnd = mulberry32(seed ^ 0x5eed_0002);
  const created = new Date(now - 30 * DAY).toISOString();
  const subs = [ARM_SUBSCRIPTIONS.production, ARM_SUBSCRIPTIONS.development];
  const used = new Set(base.eligibilities.map((e) => armPolicyKey(e.scope, e.roleGuid)));
  const subPairs = subs
    .flatMap((sub) => GENERATED_RG_ROLES.map((role) => ({ scope: `/subscriptions/${sub}`, role })))
    .filter((p) => !used.has(armPolicyKey(p.scope, p.role)));
  const pools = subs.flatMap((sub, n) =>
    [0, 1].map((k) => ({ subscriptionId: sub, name: `rg-gen-pool-${n * 2 + k}`, location: "westeurope" })),
  );
  base.resourceGroups.push(...pools);
  for (let i = 0; i < count; i++) {
    const tag = String(i).padStart(4, "0");
    const sub = subs[i % subs.length] ?? ARM_SUBSCRIPTIONS.production;
    const r = rnd();
    let scope: string;
    let role: string;
    const subPair = r < 0.1 ? subPairs.shift() : undefined;
    if (subPair) {
      ({ scope, role } = subPair);
    } else if (r < 0.55) {
      base.resourceGroups.push({ subscriptionId: sub, name: `rg-gen-${tag}`, location: "northeurope" });
      scope = `/subscriptions/${sub}/resourceGroups/rg-gen-${tag}`;
      role = GENERATED_RG_ROLES[Math.floor(rnd() * GENERATED_RG_ROLES.length)] ?? ARM_ROLES.reader;
    } else {
      const pool = pools[i % pools.length] ?? pools[0];
      const t = GENERATED_RESOURCE_TYPES[i % GENERATED_RESOURCE_TYPES.length] ?? GENERATED_RESOURCE_TYPES[0];
      const name = `${t.prefix}-gen-${tag}`;
      scope = `/subscriptions/${pool?.subscriptionId ?? sub}/resourceGroups/${pool?.name ?? "rg-gen-pool-0"}/providers/${t.type}/${name}`;
      base.resources.push({ id: scope, name, type: t.type });
      role = t.role;
    }
    used.add(armPolicyKey(scope, role));
    base.eligibilities.push({
      scheduleGuid: stableGuid(`gen-arm-elig:${seed}:${i}`),
      instanceGuid: stableGuid(`gen-arm-elig-instance:${seed}:${i}`),
      scope,
      roleGuid: role,
      principalId: DEMO_USERS.adele,
      startDateTime: created,
      endDateTime: null,
      createdOn: created,
    });
    const kind = generatedPolicyKind(i);
    const p: Partial<ArmPolicy> =
      kind === "plain"
        ? { maximumDuration: ["PT1H", "PT2H", "PT4H", "PT8H"][Math.floor(rnd() * 4)] ?? "PT8H" }
        : kind === "approval"
          ? { approvalRequired: true, approverUserIds: [DEMO_USERS.megan] }
          : kind === "mfa"
            ? { enabledRules: ["MultiFactorAuthentication", "Justification"] }
            : { enabledRules: ["Justification", "Ticketing"] };
    base.policies.set(armPolicyKey(scope, role), { ...defaultArmPolicy(scope, role), ...p });
  }
  return base;
}
