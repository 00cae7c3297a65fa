import { PimTrayError } from "../../engine/errors.js";
import type { FeatureHandlers } from "./handler.js";

// The popup's shell: its state, hiding it, the documentation pages it links to, and Troubleshoot (the doctor's
// checks and the diagnostics export, both the platform's: the app and the preview probe differently).

/** The only pages the popup may open. Add one only when the popup links to it. */
export const EXTERNAL_URLS: readonly string[] = [
  "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-activate-roles",
];

export function isAllowedExternal(url: string): boolean {
  // Exact strings, not hosts: a host allow-list let a compromised renderer open any page on an
  // allowed host (anyone's github.com repository, an aka.ms link that redirects anywhere).
  // Nothing is parsed or normalised, so no variant slips through: case, port, user info, query.
  return EXTERNAL_URLS.includes(url);
}

export const shellHandlers = {
  "app:get-state": async (_r, { state }) => state(),
  "app:hide": async (_r, { platform }) => {
    platform.hidePopup();
    return null;
  },
  "app:doctor": async (_r, { platform }) => platform.doctor(),
  "app:export-diagnostics": async (_r, { platform }) => ({ path: await platform.exportDiagnostics() }),
  "shell:open-external": async (r, { platform }) => {
    if (!isAllowedExternal(r.url))
      throw new PimTrayError("usage", "PIM Tray opens only the documentation pages it links to itself.");
    await platform.openExternal(r.url);
    return null;
  },
} satisfies FeatureHandlers<"app" | "shell">;
