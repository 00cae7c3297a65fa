// The emulator's knobs and the facts it publishes: what `npm run emulator`, the control API and
// the tests pass in and read back.
import { homedir } from "node:os";
import { join } from "node:path";
import type { ArmSettings } from "./arm/service.js";
import { DEFAULT_ARM_RATE_LIMIT } from "./arm/http.js";
import type { GraphSettings } from "./graph/common.js";
import type { IdentitySettings } from "./identity/state.js";
import type { PimSettings } from "./pim.js";
import type { RoleSettings } from "./roles/state.js";

/**
 * `large`: the demo tenant plus `groups` generated groups, `roles` generated directory-role eligibilities (default
 * half of `groups`) and `azure` generated Azure eligibilities (default `groups`), all Adele's.
 */
export type SeedSpec =
  { kind: "demo" } | { kind: "large"; groups: number; roles?: number; azure?: number; seed?: number };

/** How many directory-role and Azure eligibilities a large seed generates. */
export function largeCounts(seed: Extract<SeedSpec, { kind: "large" }>): { roles: number; azure: number } {
  return { roles: seed.roles ?? Math.ceil(seed.groups / 2), azure: seed.azure ?? seed.groups };
}

export interface EmulatorSettings extends PimSettings, IdentitySettings, GraphSettings, ArmSettings, RoleSettings {}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  provisioningDelayMs: 1000,
  provisioningDelayMaxMs: null,
  policyMessageFormat: "text",
  acrsRequiresCp1: false,
  accessTokenLifetimeSeconds: 3600,
  deviceCodeIntervalSeconds: 5,
  deviceCodeAutoApprove: null,
  autoSignIn: null,
  authorizeOutcome: null,
  consentNotGrantedFor: [],
  consentNotGrantedForArm: [],
  armPageSize: 100,
  armRateLimit: DEFAULT_ARM_RATE_LIMIT,
  armApprovalExpiryStatus: "TimedOut",
  pageSize: 100,
  emptyGroupExpansion: false,
  denyPolicyRead: false,
  roleApprovalExpiryStatus: null,
};

export interface EmulatorOptions {
  /** 0 (the default) picks a free port, so suites can run in parallel. */
  port?: number;
  /** Where the CA, server certificate and signing key are kept. */
  dataDir?: string;
  seed?: SeedSpec;
  settings?: Partial<EmulatorSettings>;
}

export interface EmulatorUserInfo {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export interface EmulatorInfo {
  origin: string;
  authority: string;
  tenantId: string;
  domain: string;
  graphBaseUrl: string;
  /** Azure Resource Manager's base (what https://management.azure.com is in the cloud). */
  armBaseUrl: string;
  caCertPath: string;
  controlUrl: string;
  users: EmulatorUserInfo[];
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(base, "pimtray-emulator");
}
