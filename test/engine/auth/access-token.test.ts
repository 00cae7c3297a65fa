import { AuthError as MsalAuthError, InteractionRequiredAuthError } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { acquireAccessToken, type AccessTokenContext } from "../../../electron/engine/auth/access-token.js";
import type { MsalClient } from "../../../electron/engine/auth/msal-client.js";
import { SignInPrompts } from "../../../electron/engine/auth/sign-in-prompt.js";
import { AuthError, ConsentRequiredError } from "../../../electron/engine/errors.js";
import { silentLogger } from "../../../electron/engine/logger.js";
import { account, connection, fakeClient, result, type FakePca } from "./fakes.js";

const me = account("me@contoso.com");
const someoneElse = account("other@contoso.com");
const needsInteraction = () => new InteractionRequiredAuthError("interaction_required", "", "AADSTS50076: MFA");

function context(pca: Partial<FakePca>, allowInteraction = true): { ctx: AccessTokenContext; client: MsalClient } {
  const client = fakeClient(pca);
  const prompts = new SignInPrompts({ client, connection, ui: { openBrowser: async () => {} } });
  return {
    client,
    ctx: { client, connection, prompts, logger: silentLogger, method: "browser", allowInteraction },
  };
}

describe("acquireAccessToken", () => {
  it("asks to sign in when there is no account", async () => {
    const { ctx } = context({});
    const e = await acquireAccessToken(ctx, null, {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).details).toEqual({ needsSignIn: true });
  });

  it("returns the silent token, passing claims and forced refresh through", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const { ctx } = context({
      acquireTokenSilent: async (r) => {
        requests.push(r);
        return result("silent", me);
      },
    });
    expect(await acquireAccessToken(ctx, me, { claims: '{"c":1}', forceRefresh: true })).toBe("silent");
    expect(requests[0]).toMatchObject({
      account: me,
      scopes: connection.scopes,
      claims: '{"c":1}',
      forceRefresh: true,
    });
  });

  it("wraps a silent failure that interaction would not fix", async () => {
    const { ctx } = context({ acquireTokenSilent: () => Promise.reject(new MsalAuthError("invalid_grant", "", "x")) });
    await expect(acquireAccessToken(ctx, me, {})).rejects.toThrow(/^Getting a token failed \(invalid_grant: x\)/);
  });

  it("reports withdrawn consent without prompting", async () => {
    let prompted = false;
    const { ctx } = context({
      acquireTokenSilent: () =>
        Promise.reject(new InteractionRequiredAuthError("invalid_grant", "", "AADSTS65001: not consented")),
      acquireTokenInteractive: async () => {
        prompted = true;
        return result("t", me);
      },
    });
    await expect(acquireAccessToken(ctx, me, {})).rejects.toBeInstanceOf(ConsentRequiredError);
    expect(prompted).toBe(false);
  });

  it("asks to sign in again, naming a step-up, when this front end may not prompt", async () => {
    const { ctx } = context({ acquireTokenSilent: () => Promise.reject(needsInteraction()) }, false);
    const expired = (await acquireAccessToken(ctx, me, {}).catch((x: unknown) => x)) as AuthError;
    expect(expired.message).toBe("Your sign-in has expired. Sign in again.");
    expect(expired.details).toEqual({ needsSignIn: true, stepUp: false });
    const stepUp = (await acquireAccessToken(ctx, me, { claims: '{"c":1}' }).catch((x: unknown) => x)) as AuthError;
    expect(stepUp.message).toMatch(/^This activation needs extra verification/);
    expect(stepUp.details).toEqual({ needsSignIn: true, stepUp: true });
  });

  it("steps up for the signed-in account with the claims and returns that token", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const { ctx } = context({
      acquireTokenSilent: () => Promise.reject(needsInteraction()),
      acquireTokenInteractive: async (r) => {
        requests.push(r);
        return result("stepped-up", me);
      },
    });
    expect(await acquireAccessToken(ctx, me, { claims: '{"c":1}' })).toBe("stepped-up");
    expect(requests[0]).toMatchObject({ claims: '{"c":1}', loginHint: "me@contoso.com" });
  });

  it("refuses a token for a different account than the one signed in", async () => {
    const { ctx } = context({
      acquireTokenSilent: () => Promise.reject(needsInteraction()),
      acquireTokenInteractive: async () => result("theirs", someoneElse),
    });
    const e = (await acquireAccessToken(ctx, me, { claims: '{"c":1}' }).catch((x: unknown) => x)) as AuthError;
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toBe(
      "You verified as other@contoso.com, but PIM Tray is signed in as me@contoso.com. Verify again as me@contoso.com, or switch accounts first.",
    );
    expect(e.details).toEqual({ needsSignIn: true });
  });
});
