// POST /_emulator/pim/requests: a self-activation submitted as any user of the tenant, on any plane, through the
// same rules as the real endpoints. Tests use it to fill an approver's inbox without signing the requester in.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ArmFault } from "./arm/fault.js";
import { GraphFault } from "./graph/fault.js";
import type { CallerClaims } from "./model.js";
import type { Emulator } from "./server.js";

const common = {
  as: z.string().min(1),
  justification: z.string().nullable().optional(),
  ticketNumber: z.string().optional(),
  /** ISO 8601 duration; PT1H when omitted. */
  duration: z.string().optional(),
};

export const controlRequestSchema = z.discriminatedUnion("plane", [
  z
    .object({ plane: z.literal("group"), groupId: z.string().min(1), accessId: z.enum(["member", "owner"]), ...common })
    .strict(),
  z
    .object({
      plane: z.literal("role"),
      roleDefinitionId: z.string().min(1),
      directoryScopeId: z.string().optional(),
      ...common,
    })
    .strict(),
  z
    .object({
      plane: z.literal("azure"),
      scope: z.string().min(1),
      /** A role GUID or a full role definition id. */
      roleDefinitionId: z.string().min(1),
      linkedRoleEligibilityScheduleId: z.string().optional(),
      ...common,
    })
    .strict(),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

export interface ControlRequestResult {
  plane: ControlRequest["plane"];
  /** Graph's request id, or the ARM request's name (a GUID). */
  id: string;
  status: string;
  approvalId: string | null;
}

/**
 * The caller's claims as if they signed in with every scope, MFA and any auth context: the rules that remain
 * (eligibility, duration, justification, approval) are the ones that matter to the requester's policy.
 */
function claimsOf(oid: string): CallerClaims {
  return {
    oid,
    scp: [
      "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
      "RoleAssignmentSchedule.ReadWrite.Directory",
      "user_impersonation",
    ],
    amr: ["pwd", "mfa"],
    acrs: Array.from({ length: 99 }, (_, i) => `c${i + 1}`),
    xmsCc: ["cp1"],
  };
}

export function createRequestAs(emu: Emulator, body: ControlRequest, now: number): ControlRequestResult {
  const user = emu.identity.findUser(body.as);
  if (!user) throw new GraphFault(404, "NotFound", `No user '${body.as}' in the emulated tenant.`);
  const caller = claimsOf(user.id.toLowerCase());
  const scheduleInfo = {
    startDateTime: null,
    expiration: { type: "AfterDuration", duration: body.duration ?? "PT1H" },
  };
  const ticketInfo = body.ticketNumber ? { ticketNumber: body.ticketNumber, ticketSystem: "Emulator" } : null;
  const justification = body.justification ?? null;
  switch (body.plane) {
    case "group": {
      const r = emu.pim.submit(
        caller,
        {
          action: "selfActivate",
          accessId: body.accessId,
          groupId: body.groupId,
          principalId: caller.oid,
          justification,
          ticketInfo,
          scheduleInfo,
        },
        now,
      );
      return { plane: "group", id: r.id, status: r.status, approvalId: r.approvalId };
    }
    case "role": {
      const r = emu.roles.submit(
        caller,
        {
          action: "selfActivate",
          principalId: caller.oid,
          roleDefinitionId: body.roleDefinitionId,
          directoryScopeId: body.directoryScopeId ?? "/",
          justification,
          ticketInfo,
          scheduleInfo,
        },
        now,
      );
      return { plane: "role", id: r.id, status: r.status, approvalId: r.approvalId };
    }
    case "azure": {
      const roleDefinitionId = body.roleDefinitionId.includes("/")
        ? body.roleDefinitionId
        : `${body.scope}/providers/Microsoft.Authorization/roleDefinitions/${body.roleDefinitionId}`;
      try {
        const r = emu.armState.submit(
          body.scope,
          randomUUID(),
          {
            properties: {
              principalId: caller.oid,
              roleDefinitionId,
              requestType: "SelfActivate",
              linkedRoleEligibilityScheduleId: body.linkedRoleEligibilityScheduleId ?? null,
              justification,
              ticketInfo,
              scheduleInfo,
            },
          },
          caller,
          now,
          true,
        );
        const approvalId = r.approvalGuid
          ? `/providers/Microsoft.Authorization/roleAssignmentApprovals/${r.approvalGuid}`
          : null;
        return { plane: "azure", id: r.name, status: r.status, approvalId };
      } catch (e) {
        // The control API answers in Graph's envelope; keep ARM's code and message.
        if (e instanceof ArmFault) throw new GraphFault(e.httpStatus, e.code, e.message);
        throw e;
      }
    }
  }
}
