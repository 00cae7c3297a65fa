import type { FeatureHandlers } from "./handler.js";

// Settings from the popup (and Start at login in the tray menu).

export const settingsHandlers = {
  "settings:update": async (r, { engine, platform, state }) => {
    if (r.startAtLogin !== undefined) await platform.setStartAtLogin(r.startAtLogin);
    // Switched before the choice is saved: a switch that fails leaves the saved choice as it was.
    if (r.tokenStorage) await platform.tokenStorage.use(r.tokenStorage);
    await engine.settings.update((s) => {
      if (r.leadMinutes) s.notifications.leadMinutes = r.leadMinutes;
      if (r.startAtLogin !== undefined) s.startAtLogin = r.startAtLogin;
      if (r.tokenStorage) s.tokenStorage = r.tokenStorage;
      if (r.cloud) s.connection.cloud = r.cloud;
      if (r.tenant !== undefined) s.connection.tenant = r.tenant.trim() || "organizations";
      if (r.clientId !== undefined) {
        if (r.clientId) s.connection.clientId = r.clientId;
        else delete s.connection.clientId;
      }
    });
    return state();
  },
} satisfies FeatureHandlers<"settings">;
