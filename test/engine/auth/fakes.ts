import type { AccountInfo, AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import type { ResolvedConnection } from "../../../electron/engine/config.js";
import type { MsalClient } from "../../../electron/engine/auth/msal-client.js";
import type { MsalNetworkModule } from "../../../electron/engine/auth/msal-network.js";

export const connection: ResolvedConnection = {
  cloud: "global",
  tenant: "contoso.com",
  clientId: "11111111-2222-3333-4444-555555555555",
  authority: "https://login.microsoftonline.com/contoso.com",
  authorityHostPort: "login.microsoftonline.com",
  graphBaseUrl: "https://graph.microsoft.com",
  scopes: ["https://graph.microsoft.com/User.Read"],
  armBaseUrl: "https://management.azure.com",
  planeScopes: { group: [], role: [], azure: ["https://management.azure.com/.default"] },
  custom: false,
};

export function account(username: string): AccountInfo {
  return {
    homeAccountId: `${username}-home`,
    environment: "login.microsoftonline.com",
    tenantId: "tid",
    username,
    localAccountId: `${username}-oid`,
  };
}

export function result(accessToken: string, who: AccountInfo | null): AuthenticationResult {
  // Only the fields AuthService reads; the rest of MSAL's result plays no part.
  return { accessToken, account: who } as AuthenticationResult;
}

/** The parts of MSAL's client the auth modules call, each replaceable per test. */
export interface FakePca {
  acquireTokenSilent: (request: Record<string, unknown>) => Promise<AuthenticationResult>;
  acquireTokenInteractive: (request: Record<string, unknown>) => Promise<AuthenticationResult>;
  acquireTokenByDeviceCode: (request: Record<string, unknown>) => Promise<AuthenticationResult | null>;
}

export function fakeClient(pca: Partial<FakePca>): MsalClient {
  const unexpected = () => Promise.reject(new Error("not expected in this test"));
  const all: FakePca = {
    acquireTokenSilent: unexpected,
    acquireTokenInteractive: unexpected,
    acquireTokenByDeviceCode: unexpected,
    ...pca,
  };
  return {
    pca: all as unknown as PublicClientApplication,
    network: { lastTokenError: null } as MsalNetworkModule,
    keptMetadata: false,
    readMetadata: () => null,
  };
}
