import type { AccountInfo } from "@azure/msal-node";

export type SignInMethod = "browser" | "device-code";

/** Where docs/cli.md explains the organisation's own registration (the popup and CLI point here). */
export const OWN_REGISTRATION_DOCS = 'docs/cli.md, section "Permissions and your own app registration"';

export interface DeviceCodeInfo {
  message: string;
  userCode: string;
  verificationUri: string;
}

/** How a front end shows sign-in to a person. */
export interface SignInUi {
  /** Opens the system browser (shell.openExternal in the app; xdg-open/open/start in the CLI). */
  openBrowser?: (url: string) => Promise<void>;
  showDeviceCode?: (info: DeviceCodeInfo) => void;
}

export interface AccountSummary {
  homeAccountId: string;
  username: string;
  name: string | null;
  tenantId: string;
  objectId: string;
}

export interface TokenRequest {
  /** A claims challenge as a JSON object string (not base64). */
  claims?: string | undefined;
  forceRefresh?: boolean;
  /** The plane's scopes (one resource per token); the groups plane's when not given. */
  scopes?: string[] | undefined;
  /** Never prompt for this token (a plane tried silently); "sign in again" instead. */
  silent?: boolean | undefined;
}

export function summary(a: AccountInfo): AccountSummary {
  return {
    homeAccountId: a.homeAccountId,
    username: a.username,
    name: a.name ?? null,
    tenantId: a.tenantId,
    objectId: a.localAccountId,
  };
}
