import { demoApprovalRequest, type ControlRequestResult, type RunningEmulator } from "../../emulator/index.js";

// Megan's inbox for the preview (`npm run preview -- --as megan --requests-to-approve`): Adele asks,
// on each plane, for the demo target whose policy needs Megan's approval, through the emulator's
// control API (as if Adele had asked from her own PIM Tray).

/** One request per plane, as Adele: Tenant Admins (member), Privileged Role Administrator, Owner on Contoso Production. */
export async function requestsToApprove(
  emu: Pick<RunningEmulator, "control">,
  justification = "Quarter close",
): Promise<ControlRequestResult[]> {
  const out: ControlRequestResult[] = [];
  for (const plane of ["group", "role", "azure"] as const)
    out.push(await emu.control.createRequestAs(demoApprovalRequest(plane, { justification })));
  return out;
}
