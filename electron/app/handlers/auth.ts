import type { FeatureHandlers } from "./handler.js";

// Signing in and out from the popup (and Sign in… in the tray menu).

export const authHandlers = {
  "auth:sign-in": async (r, { engine, lifecycle, state }) => {
    await engine.signIn({ method: r.method ?? "browser", selectAccount: r.selectAccount ?? false });
    await lifecycle.signedIn();
    return state();
  },
  "auth:sign-out": async (_r, { engine, lifecycle, state }) => {
    await engine.signOut();
    await lifecycle.refresh("signed-out");
    return state();
  },
} satisfies FeatureHandlers<"auth">;
