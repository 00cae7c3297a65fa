// What the approval suites share: one emulator per file, signed-in clients per user and plane (signed in again after
// the emulator clock jumps, since tokens live an hour of emulator time), and the three planes' approval paths.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestEmulator } from "../../helpers/emulator.js";
import { RawClient } from "../../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../../helpers/tokens.js";

export type Who = "adele" | "megan" | "alex";
/** The three PIM planes, and `directory`: the groups scopes plus a group-read permission. */
export type Plane = "group" | "role" | "azure" | "directory";

export const AUTHZ = "providers/Microsoft.Authorization";
export const GROUP_PIM = "/v1.0/identityGovernance/privilegedAccess/group";
export const GROUP_APPROVALS = `${GROUP_PIM}/assignmentApprovals`;
export const GROUP_INBOX = `${GROUP_APPROVALS}/filterByCurrentUser(on='approver')`;
export const ROLE_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
export const ROLE_INBOX = `${ROLE_REQUESTS}/filterByCurrentUser(on='approver')`;
export const ROLE_APPROVALS = "/beta/roleManagement/directory/roleAssignmentApprovals";
/** ARM's approvals API version, and the GA one of its request list. */
export const PREVIEW = "api-version=2021-01-01-preview";
export const GA = "api-version=2020-10-01";
export const ARM_APPROVALS = `/arm/${AUTHZ}/roleAssignmentApprovals`;
export const ARM_INBOX = `/arm/${AUTHZ}/roleAssignmentScheduleRequests?${GA}&$filter=asApprover()`;

const SCOPES: Record<Plane, string[]> = {
  group: PIM_SCOPES,
  role: [
    "https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory",
    "https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory",
    "https://graph.microsoft.com/RoleManagementPolicy.Read.Directory",
  ],
  azure: ["https://management.azure.com/user_impersonation"],
  directory: [...PIM_SCOPES, "https://graph.microsoft.com/GroupMember.Read.All"],
};

export const GRAPH_DECISION = {
  approve: { reviewResult: "Approve", justification: "On-call swap confirmed" },
  deny: { reviewResult: "Deny", justification: "No change ticket" },
};
export const ARM_DECISION = {
  approve: { properties: { reviewResult: "Approve", justification: "On-call swap confirmed" } },
  deny: { properties: { reviewResult: "Deny", justification: "No change ticket" } },
};

/** Starts an emulator for the file, resets it before each test, and hands out signed-in clients. */
export function approvalSuite() {
  let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
  let clients = new Map<string, Promise<RawClient>>();
  const closing: Array<Promise<RawClient>> = [];
  /** Tokens issued on a shifted clock are not valid once a reset restarts it, nor those issued before a jump after. */
  const dropClients = () => {
    closing.push(...clients.values());
    clients = new Map();
  };
  let jumped = false;
  // signIn sets the emulator's one auto-approving user for its device code: sign-ins must not overlap.
  let signingIn: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    const all = await Promise.allSettled([...clients.values(), ...closing]);
    await Promise.all(all.map((c) => (c.status === "fulfilled" ? c.value.close() : undefined)));
    await emu?.stop();
  });
  beforeEach(async () => {
    await suite.emu.control.reset();
    await suite.emu.control.configure({ provisioningDelayMs: 0 });
    if (jumped) dropClients();
    jumped = false;
  });

  const suite = {
    get emu() {
      if (!emu) throw new Error("the emulator has not started");
      return emu;
    },
    /** A client for `who` on `plane`, signed in once and reused until the clock jumps. */
    async as(who: Who, plane: Plane): Promise<RawClient> {
      const key = `${who}:${plane}`;
      const known = clients.get(key);
      if (known) return known;
      const e = suite.emu;
      const token = signingIn.then(() => signIn(e, who, SCOPES[plane]));
      signingIn = token.catch(() => undefined);
      const client = token.then((t) => new RawClient(e.origin, e.caPem, t.accessToken));
      clients.set(key, client);
      return client;
    },
    /** Moves the emulator clock forward; the tokens issued before have expired, so clients sign in again. */
    async advance(ms: number): Promise<void> {
      await suite.emu.control.advanceClock(ms);
      dropClients();
      jumped = true;
    },
  };
  return suite;
}
