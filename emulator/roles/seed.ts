// The demo tenant's directory roles: what Adele, Megan and Alex are eligible for. Ids are stable
// (built-in roles keep their real template ids; the rest derive from names) and documented in
// docs/emulator.md.
import { stableGuid } from "../ids.js";
import { DEMO_APPROVER_GROUPS, DEMO_USERS, generatedPolicyKind, mulberry32 } from "../seed.js";
import type { AdministrativeUnit, RoleDefinition, RoleEligibility, RolePolicy, RolesSeed } from "./model.js";

/** Built-in role template ids, as Microsoft publishes them. */
export const DEMO_ROLES = {
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  exchangeAdministrator: "29232cdf-9323-42fd-ade2-1d097af3e4de",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  groupsAdministrator: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
} as const;

export const DEMO_ADMINISTRATIVE_UNITS = {
  sales: stableGuid("au:sales"),
} as const;

const DAY = 86_400_000;

/** The documented default for a directory role: 8 h, MFA and justification, no approval. */
export function defaultRolePolicy(roleDefinitionId: string): RolePolicy {
  return {
    maximumDuration: "PT8H",
    enabledRules: ["MultiFactorAuthentication", "Justification"],
    approvalRequired: false,
    approverUserIds: [],
    authenticationContext: null,
    policyGuid: stableGuid(`role-policy:${roleDefinitionId}`),
  };
}

function rolePolicy(roleDefinitionId: string, p: Partial<RolePolicy>): [string, RolePolicy] {
  return [roleDefinitionId, { ...defaultRolePolicy(roleDefinitionId), ...p }];
}

function eligibility(
  roleDefinitionId: string,
  principalId: string,
  now: number,
  directoryScopeId = "/",
  memberType: RoleEligibility["memberType"] = "Direct",
): RoleEligibility {
  const created = new Date(now - 60 * DAY).toISOString();
  return {
    id: stableGuid(`role-elig:${roleDefinitionId}:${principalId}:${directoryScopeId}`),
    principalId,
    roleDefinitionId,
    directoryScopeId,
    memberType,
    startDateTime: created,
    endDateTime: null,
    createdDateTime: created,
  };
}

export function demoRoles(now: number): RolesSeed {
  const r = DEMO_ROLES;
  const u = DEMO_USERS;
  const roleDefinitions: RoleDefinition[] = [
    {
      id: r.helpdeskAdministrator,
      displayName: "Helpdesk Administrator",
      description: "Can reset passwords for non-administrators and Helpdesk Administrators.",
    },
    {
      id: r.globalReader,
      displayName: "Global Reader",
      description: "Can read everything that a Global Administrator can, but not update anything.",
    },
    {
      id: r.privilegedRoleAdministrator,
      displayName: "Privileged Role Administrator",
      description:
        "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
    },
    {
      id: r.exchangeAdministrator,
      displayName: "Exchange Administrator",
      description: "Can manage all aspects of the Exchange product.",
    },
    {
      id: r.securityAdministrator,
      displayName: "Security Administrator",
      description:
        "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
    },
    {
      id: r.userAdministrator,
      displayName: "User Administrator",
      description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
    },
    {
      id: r.groupsAdministrator,
      displayName: "Groups Administrator",
      description:
        "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.",
    },
  ];
  const administrativeUnits: AdministrativeUnit[] = [
    { id: DEMO_ADMINISTRATIVE_UNITS.sales, displayName: "Sales", description: "Sales department users" },
  ];
  const policies = new Map<string, RolePolicy>([
    rolePolicy(r.helpdeskAdministrator, { maximumDuration: "PT4H", enabledRules: ["Justification"] }),
    rolePolicy(r.globalReader, { maximumDuration: "PT8H", enabledRules: ["Justification"] }),
    rolePolicy(r.privilegedRoleAdministrator, {
      maximumDuration: "PT2H",
      enabledRules: ["Justification"],
      approvalRequired: true,
      approverUserIds: [u.megan],
    }),
    rolePolicy(r.exchangeAdministrator, {
      maximumDuration: "PT4H",
      enabledRules: ["MultiFactorAuthentication", "Justification"],
    }),
    rolePolicy(r.securityAdministrator, {
      maximumDuration: "PT2H",
      enabledRules: ["Justification"],
      authenticationContext: "c1",
    }),
    rolePolicy(r.userAdministrator, { maximumDuration: "PT4H", enabledRules: ["Justification", "Ticketing"] }),
    // Approved by a group: any member of PIM Approvers (Megan). Alex asks for it; Adele holds it through a group.
    rolePolicy(r.groupsAdministrator, {
      maximumDuration: "PT4H",
      enabledRules: ["Justification"],
      approvalRequired: true,
      approverGroupIds: [DEMO_APPROVER_GROUPS.pimApprovers],
    }),
  ]);
  const eligibilities: RoleEligibility[] = [
    eligibility(r.helpdeskAdministrator, u.adele, now, `/administrativeUnits/${DEMO_ADMINISTRATIVE_UNITS.sales}`),
    eligibility(r.globalReader, u.adele, now),
    eligibility(r.privilegedRoleAdministrator, u.adele, now),
    eligibility(r.exchangeAdministrator, u.adele, now),
    eligibility(r.securityAdministrator, u.adele, now),
    eligibility(r.userAdministrator, u.adele, now),
    // Held through a role-assignable group: filterByCurrentUser leaves it out, as Graph does.
    eligibility(r.groupsAdministrator, u.adele, now, "/", "Group"),
    eligibility(r.globalReader, u.megan, now),
    eligibility(r.exchangeAdministrator, u.alex, now),
    eligibility(r.groupsAdministrator, u.alex, now),
  ];
  return { roleDefinitions, administrativeUnits, policies, eligibilities };
}

/** Generated administrative units, named so they sort after the demo's Sales. */
const GENERATED_AUS = ["Marketing", "Research", "Operations", "Support", "Legal"];

/**
 * The demo roles plus `count` generated custom directory roles Adele is eligible for, one eligibility each, about a
 * fifth of them scoped to a generated administrative unit, with the groups generator's policy mix (plain, approval
 * by Megan, MFA, ticket). Deterministic for a given `seed`.
 */
export function largeRoles(now: number, count: number, seed = 42): RolesSeed {
  const base = demoRoles(now);
  const rnd = mulberry32(seed ^ 0x5eed_0001);
  const aus = GENERATED_AUS.map((name) => ({
    id: stableGuid(`gen-au:${seed}:${name}`),
    displayName: name,
    description: `${name} (generated)`,
  }));
  base.administrativeUnits.push(...aus);
  const areas = ["Billing", "Compliance", "Devices", "Apps", "Mailbox", "Teams", "Licenses", "Reports"];
  const kinds = ["Administrator", "Operator", "Reader", "Auditor"];
  for (let i = 0; i < count; i++) {
    const id = stableGuid(`gen-role:${seed}:${i}`);
    const displayName = `${areas[i % areas.length]} ${kinds[Math.floor(i / areas.length) % kinds.length]} ${String(i).padStart(4, "0")}`;
    base.roleDefinitions.push({ id, displayName, description: "Generated custom role" });
    const au = rnd() < 0.2 ? aus[Math.floor(rnd() * aus.length)] : undefined;
    base.eligibilities.push(eligibility(id, DEMO_USERS.adele, now, au ? `/administrativeUnits/${au.id}` : "/"));
    const kind = generatedPolicyKind(i);
    const p: Partial<RolePolicy> =
      kind === "plain"
        ? {
            maximumDuration: ["PT1H", "PT2H", "PT4H", "PT8H"][Math.floor(rnd() * 4)] ?? "PT8H",
            enabledRules: ["Justification"],
          }
        : kind === "approval"
          ? { enabledRules: ["Justification"], approvalRequired: true, approverUserIds: [DEMO_USERS.megan] }
          : kind === "mfa"
            ? { enabledRules: ["MultiFactorAuthentication", "Justification"] }
            : { enabledRules: ["Justification", "Ticketing"] };
    const [key, pol] = rolePolicy(id, p);
    base.policies.set(key, pol);
  }
  return base;
}
