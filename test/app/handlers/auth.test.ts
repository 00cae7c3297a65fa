// The auth handlers: how sign-in is asked for, and what the lifecycle is told afterwards.
import { describe, expect, it } from "vitest";
import { authHandlers } from "../../../electron/app/handlers/auth.js";
import { contextOf, engineDouble, lifecycleDouble } from "../app-doubles.js";

describe("auth handlers", () => {
  it("signs in through the browser unless told otherwise, then tells the lifecycle", async () => {
    const e = engineDouble();
    const l = lifecycleDouble();
    const ctx = contextOf({ engine: e.engine, lifecycle: l.lifecycle });
    await authHandlers["auth:sign-in"]({}, ctx);
    await authHandlers["auth:sign-in"]({ method: "device-code", selectAccount: true }, ctx);
    expect(e.calls.signIn.mock.calls.map((c) => c[0])).toEqual([
      { method: "browser", selectAccount: false },
      { method: "device-code", selectAccount: true },
    ]);
    expect(l.calls.signedIn).toHaveBeenCalledTimes(2);
  });

  it("signs out, refreshes, and answers the signed-out state", async () => {
    const e = engineDouble();
    const l = lifecycleDouble();
    const s = await authHandlers["auth:sign-out"](undefined, contextOf({ engine: e.engine, lifecycle: l.lifecycle }));
    expect(e.calls.signOut).toHaveBeenCalledOnce();
    expect(l.calls.refresh).toHaveBeenCalledWith("signed-out");
    expect([s.account, s.needsSignIn]).toEqual([null, true]);
  });
});
