// Requests that wait for Megan's approval on each plane, created as Adele through the emulator's control API.
import type { PendingApproval } from "../../electron/engine/approvals/approval-types.js";
import type { PlaneKind } from "../../electron/engine/planes/targets.js";
import {
  demoApprovalRequest,
  type ControlRequestResult,
  type DemoApproval,
  type DemoApprovalOptions,
  type RunningEmulator,
} from "../../emulator/index.js";

/** What each plane's approval request is for, as the inbox labels it. */
export const APPROVAL_LABELS: Record<PlaneKind, string> = {
  group: "Tenant Admins (member)",
  role: "Privileged Role Administrator",
  azure: "Owner on Contoso Production",
};

/** Adele asks, on `plane`, for the demo target whose policy needs Megan's approval. */
export function requestAsAdele(
  emu: Pick<RunningEmulator, "control">,
  plane: PlaneKind,
  o: DemoApprovalOptions = {},
): Promise<ControlRequestResult> {
  return emu.control.createRequestAs(demoApprovalRequest(plane, o));
}

/** One of the demo tenant's approval requests (serial ones, one approved by a group): see emulator/demo-approvals.ts. */
export function requestDemoApproval(
  emu: Pick<RunningEmulator, "control">,
  which: DemoApproval,
  o: DemoApprovalOptions = {},
): Promise<ControlRequestResult> {
  return emu.control.createRequestAs(demoApprovalRequest(which, o));
}

/** Another approver's decision, as PIM records it (the control API decides as an approver would). */
export async function decideElsewhere(
  emu: Pick<RunningEmulator, "control">,
  plane: PlaneKind,
  id: string,
  decision: "approve" | "deny" = "approve",
): Promise<void> {
  if (plane === "group") await (decision === "approve" ? emu.control.approve(id) : emu.control.deny(id));
  else if (plane === "role") await emu.control.decideRole(id, decision);
  else await emu.control.decideArm(id, decision);
}

/** A request to approve as the engine hands it on (no emulator needed): Adele asks for Tenant Admins (member). */
export function adeleAsks(overrides: Partial<PendingApproval> = {}): PendingApproval {
  const id = "8b0b3c8e-1c59-4f0e-a0a8-7d1d51bbf6a4";
  return {
    kind: "group",
    requestId: id,
    approvalId: id,
    target: { groupId: "5d3c8f0e-0000-4000-8000-000000000001", accessId: "member", groupName: "Tenant Admins" },
    label: "Tenant Admins (member)",
    requester: { id: "u", displayName: "Adele Vance", userPrincipalName: "adele@contoso.example" },
    justification: "Quarter close",
    ticket: null,
    duration: "PT2H",
    startDateTime: null,
    createdDateTime: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    stage: { index: 1, count: 1 },
    justificationRequired: true,
    ...overrides,
  };
}
