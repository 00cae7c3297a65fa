// Azure Resource Manager's token audience and the scopes that ask for it.

/** The audience the emulator puts in ARM tokens; ARM also accepts the trailing-slash and classic forms. */
export const ARM_AUDIENCE = "https://management.azure.com";
export const ARM_ACCEPTED_AUDIENCES = [
  "https://management.azure.com",
  "https://management.azure.com/",
  "https://management.core.windows.net",
  "https://management.core.windows.net/",
];
/** ARM's only delegated permission. */
export const ARM_SCOPE = "user_impersonation";

const ARM_PREFIXES = [
  "https://management.azure.com/",
  "https://management.core.windows.net/",
  "https://management.usgovcloudapi.net/",
  "https://management.chinacloudapi.cn/",
  "797f4846-ba00-4fd7-ba43-dac1f8f63013/",
];

/** The ARM prefix a scope string starts with, if any. */
export function armPrefix(scope: string): string | undefined {
  const s = scope.toLowerCase();
  return ARM_PREFIXES.find((p) => s.startsWith(p));
}

const OIDC = new Set(["openid", "profile", "offline_access", "email"]);

/** True when a scope string names ARM and another resource (Graph, whose scopes may be bare names) at once. */
export function mixesResources(scope: string): boolean {
  const parts = scope.split(/\s+/).filter((s) => s && !OIDC.has(s.toLowerCase()));
  const arm = parts.filter((s) => armPrefix(s) !== undefined).length;
  return arm > 0 && arm < parts.length;
}

/** Entra's AADSTS28000 text for a scope naming more than one resource. */
export function multipleResourcesDescription(scope: string): string {
  return `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`;
}

/** True when a token request's scope names the ARM resource (one resource per token request). */
export function isArmScope(scope: string): boolean {
  return scope.split(/\s+/).some((s) => armPrefix(s) !== undefined);
}
