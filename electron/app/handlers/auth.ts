import type { FeatureHandlers } from "./handler.js";

// Signing in and out from the popup (and Sign in… in the tray menu), and signing in for one more
// plane's permissions ("Turn on Azure roles").

export const authHandlers = {
  "auth:sign-in": async (r, { engine, lifecycle, eligibleNames, state }) => {
    await engine.signIn({ method: r.method ?? "browser", selectAccount: r.selectAccount ?? false });
    // The popup asks for the list next: it is read while the lifecycle reads the picture, not after.
    eligibleNames.readAhead((onPart) => engine.planes.eligibilities(onPart));
    await lifecycle.signedIn();
    return state();
  },
  "auth:sign-out": async (_r, { engine, lifecycle, eligibleNames, state }) => {
    await engine.signOut();
    eligibleNames.policies.clear();
    await lifecycle.refresh("signed-out");
    return state();
  },
  "auth:turn-on-plane": async (r, { engine, lifecycle, state }) => {
    // Interactive on purpose: the person asked for this plane, so its consent prompt may show now.
    await engine.auth.signIn({
      scopes: engine.connection.planeScopes[r.plane],
      ...(r.method ? { method: r.method } : {}),
    });
    await lifecycle.refresh("plane-turned-on");
    return state();
  },
} satisfies FeatureHandlers<"auth">;
