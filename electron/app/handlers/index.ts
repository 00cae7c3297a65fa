import type { Channel } from "../../shared/ipc-contract.js";
import { approvalHandlers } from "./approvals.js";
import { authHandlers } from "./auth.js";
import type { HandlerTable } from "./handler.js";
import { pimHandlers } from "./pim.js";
import { profileHandlers } from "./profiles.js";
import { settingsHandlers } from "./settings.js";
import { shellHandlers } from "./shell.js";

// Every channel's handler, grouped by feature. Typed as the full table: a channel added to the
// contract without a handler fails typecheck here (gitify's EventContracts coverage, as a type).

export const HANDLERS: HandlerTable = {
  ...shellHandlers,
  ...authHandlers,
  ...pimHandlers,
  ...profileHandlers,
  ...settingsHandlers,
  ...approvalHandlers,
};

/** Channels that change nothing: no state push follows them. Every other channel's success pushes the new state. */
export const READ_ONLY: ReadonlySet<Channel> = new Set<Channel>([
  "app:get-state",
  "pim:eligible",
  "approvals:list",
  "shell:open-external",
  "app:hide",
  // The checks look and change nothing. Export is not here: it writes a file the person chose.
  "app:doctor",
]);

/** Reads of the planes that change nothing either (each plane's state, the Azure scope picker, rows' policies): no push. */
export const PLANE_READS: ReadonlySet<Channel> = new Set<Channel>(["pim:planes", "pim:azure-scopes", "pim:policies"]);

/** Whether a channel's success is followed by a state push. */
export function changesState(channel: Channel): boolean {
  return !READ_ONLY.has(channel) && !PLANE_READS.has(channel);
}
