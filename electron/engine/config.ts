import { UsageError } from "./errors.js";

// National clouds and the overrides the emulator and tests use.

export type CloudName = "global" | "usgov" | "usgovdod" | "china";

export interface CloudEndpoints {
  authorityHost: string;
  graphEndpoint: string;
  /** The resource prefix for scopes, e.g. https://graph.microsoft.com/. */
  graphResource: string;
  /** Azure Resource Manager: its base URL and the resource its tokens are for. */
  armEndpoint: string;
  armResource: string;
}

export const CLOUDS: Record<CloudName, CloudEndpoints> = {
  global: {
    authorityHost: "https://login.microsoftonline.com",
    graphEndpoint: "https://graph.microsoft.com",
    graphResource: "https://graph.microsoft.com",
    armEndpoint: "https://management.azure.com",
    armResource: "https://management.azure.com",
  },
  usgov: {
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://graph.microsoft.us",
    graphResource: "https://graph.microsoft.us",
    armEndpoint: "https://management.usgovcloudapi.net",
    armResource: "https://management.usgovcloudapi.net",
  },
  usgovdod: {
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://dod-graph.microsoft.us",
    graphResource: "https://dod-graph.microsoft.us",
    armEndpoint: "https://management.usgovcloudapi.net",
    armResource: "https://management.usgovcloudapi.net",
  },
  china: {
    authorityHost: "https://login.chinacloudapi.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn",
    armResource: "https://management.chinacloudapi.cn",
  },
};

/** The public client of the Microsoft Graph command-line tools (what Graph PowerShell signs in with). */
export const DEFAULT_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/** Least privilege: read eligibilities and policies, read and write my own activation requests. */
export const PIM_SCOPE_NAMES = [
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "RoleManagementPolicy.Read.AzureADGroup",
] as const;

/** Directory roles: read eligibilities and policies, read and write my own activation requests. */
export const ROLE_SCOPE_NAMES = [
  "RoleEligibilitySchedule.Read.Directory",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleManagementPolicy.Read.Directory",
] as const;

export interface ConnectionSettings {
  cloud: CloudName;
  /** Tenant id (GUID) or a verified domain such as contoso.com. */
  tenant: string;
  clientId: string;
  /** Overrides for sovereign or test endpoints, e.g. the emulator. */
  authorityHost?: string | undefined;
  graphEndpoint?: string | undefined;
  /** Azure Resource Manager's base URL, for the emulator or a sovereign deployment. */
  armEndpoint?: string | undefined;
  /** More Graph scopes, for an organisation's own registration (e.g. GroupMember.Read.All). */
  extraScopes?: string[] | undefined;
}

export interface ResolvedConnection {
  cloud: CloudName;
  tenant: string;
  clientId: string;
  authority: string;
  /** host[:port] of the authority, for MSAL's knownAuthorities. */
  authorityHostPort: string;
  graphBaseUrl: string;
  /**
   * Azure Resource Manager's base URL, without a trailing slash. Null when the Graph or authority
   * endpoint is custom (the emulator, a test tenant) and no ARM endpoint was given: tokens from a
   * custom authority are never sent to the real ARM.
   */
  armBaseUrl: string | null;
  /** The groups plane's scopes: what sign-in asks for. */
  scopes: string[];
  /** Each plane's scopes; one resource per token, so Azure's are asked for separately. */
  planeScopes: { group: string[]; role: string[]; azure: string[] };
  custom: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The one tenant rule, used by the settings schema, the IPC contract and resolveConnection: a tenant
 * id (GUID), a verified domain, or "organizations" (any work account; the tenant is learnt at sign-in).
 */
export function isTenant(value: string): boolean {
  const t = value.trim();
  return GUID.test(t) || DOMAIN.test(t) || t === "organizations";
}

export const TENANT_RULE =
  "must be your tenant id (the GUID on Entra ID's overview page) or a verified domain such as contoso.com or contoso.onmicrosoft.com";

function httpsUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} '${value}' is not a URL. Give a full https:// address.`);
  }
  if (url.protocol !== "https:")
    throw new UsageError(`${what} must use https (MSAL refuses anything else); got '${value}'.`);
  return url;
}

export function resolveConnection(s: ConnectionSettings): ResolvedConnection {
  if (!(s.cloud in CLOUDS)) {
    throw new UsageError(`Unknown cloud '${s.cloud}'. Use one of: ${Object.keys(CLOUDS).join(", ")}.`);
  }
  const tenant = s.tenant.trim();
  if (!tenant)
    throw new UsageError("No tenant is set. Pass --tenant with your tenant id or domain (or set PIMTRAY_TENANT).");
  if (!isTenant(tenant)) {
    throw new UsageError(
      `'${tenant}' is not a tenant id or domain. Use the GUID from Entra ID's overview page, or a domain such as contoso.com.`,
    );
  }
  if (!GUID.test(s.clientId.trim())) throw new UsageError(`The client id '${s.clientId}' is not a GUID.`);
  const cloud = CLOUDS[s.cloud];
  const authorityUrl = httpsUrl(s.authorityHost ?? cloud.authorityHost, "The authority host");
  const graphUrl = httpsUrl(s.graphEndpoint ?? cloud.graphEndpoint, "The Graph endpoint");
  const graphOrigin = graphUrl.origin + graphUrl.pathname.replace(/\/+$/, "").replace(/\/v1\.0$|\/beta$/i, "");
  // Scopes are named for the cloud's Graph resource; a custom endpoint (the emulator) still uses
  // the global resource name, as Entra issues Graph tokens for it.
  const resource = s.graphEndpoint ? CLOUDS.global.graphResource : cloud.graphResource;
  const names = [...PIM_SCOPE_NAMES, ...(s.extraScopes ?? [])];
  const customIdentity = Boolean(s.authorityHost || s.graphEndpoint);
  const armUrl =
    s.armEndpoint || !customIdentity
      ? httpsUrl(s.armEndpoint ?? cloud.armEndpoint, "The Azure Resource Manager endpoint")
      : null;
  // As for Graph: a custom ARM endpoint (the emulator) keeps the global resource name.
  const armResource = s.armEndpoint ? CLOUDS.global.armResource : cloud.armResource;
  const scopes = names.map((n) => (n.includes("://") ? n : `${resource}/${n}`));
  return {
    cloud: s.cloud,
    tenant,
    clientId: s.clientId.trim(),
    authority: `${authorityUrl.origin}/${tenant}`,
    authorityHostPort: authorityUrl.host,
    graphBaseUrl: `${graphOrigin}/v1.0`,
    armBaseUrl: armUrl ? armUrl.origin + armUrl.pathname.replace(/\/+$/, "") : null,
    scopes,
    planeScopes: {
      group: scopes,
      role: ROLE_SCOPE_NAMES.map((n) => `${resource}/${n}`),
      azure: [`${armResource}/.default`],
    },
    custom: Boolean(s.authorityHost || s.graphEndpoint || s.armEndpoint),
  };
}
