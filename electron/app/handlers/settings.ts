import type { PlaneKind } from "../../engine/planes/targets.js";
import { effectiveOf, refuseLocked } from "../organisation.js";
import type { FeatureHandlers } from "./handler.js";

// Settings from the popup (and Start at login in the tray menu), planes on and off among them. A setting the
// organisation locked is refused with the policy's name (PolicedSettings refuses the save; the token cache, which is
// switched before it is saved, is refused here first).

/** The planes the request switches, without the ones it leaves as they are. */
function definedOnly(p: Partial<Record<PlaneKind, boolean | undefined>>): Partial<Record<PlaneKind, boolean>> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

export const settingsHandlers = {
  "settings:update": async (r, { engine, lifecycle, platform, state }) => {
    if (r.tokenStorage)
      refuseLocked(await effectiveOf(engine.settings), "tokenStorage", r.tokenStorage, "Where tokens are kept");
    if (r.startAtLogin !== undefined) await platform.setStartAtLogin(r.startAtLogin);
    // Switched before the choice is saved: a switch that fails leaves the saved choice as it was.
    if (r.tokenStorage) await platform.tokenStorage.use(r.tokenStorage);
    await engine.settings.update((s) => {
      if (r.leadMinutes) s.notifications.leadMinutes = r.leadMinutes;
      if (r.startAtLogin !== undefined) s.startAtLogin = r.startAtLogin;
      if (r.tokenStorage) s.tokenStorage = r.tokenStorage;
      if (r.cloud) s.connection.cloud = r.cloud;
      if (r.tenant !== undefined) s.connection.tenant = r.tenant.trim() || "organizations";
      if (r.planes) s.planes = { ...s.planes, ...definedOnly(r.planes) };
      if (r.clientId !== undefined) {
        if (r.clientId) s.connection.clientId = r.clientId;
        else delete s.connection.clientId;
      }
    });
    // A plane turned on is read at once, one turned off leaves the picture at once.
    if (r.planes) await lifecycle.refresh("planes-changed");
    return state();
  },
} satisfies FeatureHandlers<"settings">;
