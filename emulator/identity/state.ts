// What the identity flows share: settings, the tenant's users, and the sessions, codes and grants
// one flow creates and another redeems.
import type { EmulatedUser } from "../model.js";
import type { SigningKeys } from "../tokens.js";
import type { ClaimsRequest } from "./claims.js";
import { isArmScope } from "../arm/audience.js";

export interface Session {
  id: string;
  userId: string;
  mfa: boolean;
}

export interface AuthCode {
  userId: string;
  sessionId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  scope: string;
  nonce: string | null;
  claims: ClaimsRequest;
  expiresAt: number;
}

export interface RefreshGrant {
  sessionId: string;
  clientId: string;
}

export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  claims: ClaimsRequest;
  expiresAt: number;
  state: "pending" | "approved" | "denied" | "redeemed";
  userId: string | null;
}

export interface IdentitySettings {
  accessTokenLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
  /** A user id: device codes are approved for this user as soon as they are issued. */
  deviceCodeAutoApprove: string | null;
  /** A user id: the authorize endpoint signs this user in without showing the page. */
  autoSignIn: string | null;
  /** One-shot: the next authorize request ends with this OAuth error. */
  authorizeOutcome: { error: string; error_description?: string } | null;
  /**
   * Client ids the tenant has not consented to ("*": every client). Users may not consent for
   * themselves, as in many organisations: sign-in ends on "Need admin approval" (AADSTS65001).
   */
  consentNotGrantedFor: string[];
  /**
   * Client ids ("*": every client) consented for Graph but not for Azure Resource Manager: a token
   * request for the ARM resource fails with AADSTS65001 while Graph tokens still come.
   */
  consentNotGrantedForArm: string[];
}

export interface IdentityDeps {
  tenantId: string;
  domain: string;
  users: () => EmulatedUser[];
  settings: IdentitySettings;
  keys: SigningKeys;
  /** Emulator time in ms. */
  now: () => number;
}

export class IdentityState {
  readonly sessions = new Map<string, Session>();
  readonly codes = new Map<string, AuthCode>();
  readonly refresh = new Map<string, RefreshGrant>();
  readonly deviceCodes = new Map<string, DeviceCodeEntry>();

  constructor(readonly deps: IdentityDeps) {}

  reset(): void {
    this.sessions.clear();
    this.codes.clear();
    this.refresh.clear();
    this.deviceCodes.clear();
  }

  /** `scope`, when given, is the token request's: consent may be missing for the ARM resource only. */
  consentMissing(clientId: string, scope = ""): boolean {
    const id = clientId.toLowerCase();
    const match = (list: string[]) => list.some((c) => c === "*" || c.toLowerCase() === id);
    return (
      match(this.deps.settings.consentNotGrantedFor) ||
      (isArmScope(scope) && match(this.deps.settings.consentNotGrantedForArm ?? []))
    );
  }

  findUser(idOrName: string): EmulatedUser | undefined {
    const k = idOrName.toLowerCase();
    return this.deps
      .users()
      .find(
        (u) =>
          u.id === k ||
          u.userPrincipalName.toLowerCase() === k ||
          u.userPrincipalName.toLowerCase().split("@")[0] === k,
      );
  }
}
