import { PublicClientApplication, type AccountInfo, type AuthenticationResult } from "@azure/msal-node";
import type { RunningEmulator } from "../../emulator/index.js";
import { emulatorNetworkClient } from "./msal-network.js";

export const GRAPH_CLI_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

export const PIM_SCOPES = [
  "https://graph.microsoft.com/PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "https://graph.microsoft.com/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "https://graph.microsoft.com/RoleManagementPolicy.Read.AzureADGroup",
];

export function newPca(
  emu: RunningEmulator,
  network: ReturnType<typeof emulatorNetworkClient>,
  capabilities: string[] = ["cp1"],
) {
  return new PublicClientApplication({
    auth: {
      clientId: GRAPH_CLI_CLIENT_ID,
      authority: emu.authority,
      knownAuthorities: [new URL(emu.origin).host],
      clientCapabilities: capabilities,
    },
    system: { networkClient: network },
  });
}

/**
 * Signs `user` in through the real MSAL device-code flow against an emulator that auto-approves,
 * and returns the result. Used by suites that need a Graph token and are not testing sign-in.
 */
export async function signIn(
  emu: RunningEmulator,
  user: string,
  scopes: string[] = PIM_SCOPES,
  claims?: string,
): Promise<AuthenticationResult> {
  await emu.control.configure({ deviceCodeAutoApprove: user, deviceCodeIntervalSeconds: 0 });
  const network = emulatorNetworkClient(emu.caPem);
  try {
    const pca = newPca(emu, network);
    const result = await pca.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: () => undefined,
      ...(claims ? { claims } : {}),
    });
    if (!result) throw new Error("device code flow returned no result");
    return result;
  } finally {
    await emu.control.configure({ deviceCodeAutoApprove: null });
    await network.close();
  }
}

export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

export function accountOf(result: AuthenticationResult): AccountInfo {
  if (!result.account) throw new Error("MSAL returned no account");
  return result.account;
}
