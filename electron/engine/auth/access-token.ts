import { InteractionRequiredAuthError, type AccountInfo } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError } from "../errors.js";
import type { Logger } from "../logger.js";
import { consentRequired, isConsentError, wrapAuthError } from "./auth-errors.js";
import type { SignInMethod, TokenRequest } from "./auth-types.js";
import type { MsalClient } from "./msal-client.js";
import type { SignInPrompts } from "./sign-in-prompt.js";

export interface AccessTokenContext {
  client: MsalClient;
  connection: ResolvedConnection;
  prompts: SignInPrompts;
  logger: Logger;
  /** The method the user signed in with: a step-up prompts the same way. */
  method: SignInMethod;
  /** When false, a token that needs interaction fails with "sign in again" instead of prompting. */
  allowInteraction: boolean;
}

/**
 * A Graph access token for the account: silent first; when MSAL says interaction is required,
 * prompt (if allowed) for the same account, and refuse a token for anyone else.
 */
export async function acquireAccessToken(
  ctx: AccessTokenContext,
  account: AccountInfo | null,
  request: TokenRequest,
): Promise<string> {
  const { pca, network } = ctx.client;
  const scopes = request.scopes ?? ctx.connection.scopes;
  if (!account)
    throw new AuthError("You are not signed in. Run `pimtray login` (or Sign in from the tray).", {
      details: { needsSignIn: true },
    });
  try {
    const r = await pca.acquireTokenSilent({
      account,
      scopes,
      ...(request.claims ? { claims: request.claims } : {}),
      ...(request.forceRefresh ? { forceRefresh: true } : {}),
    });
    return r.accessToken;
  } catch (e) {
    if (!(e instanceof InteractionRequiredAuthError))
      throw wrapAuthError(e, "Getting a token failed", ctx.connection, network.lastTokenError, scopes);
    // Consent withdrawn: a prompt would end on "Need admin approval" again.
    if (isConsentError(e, network.lastTokenError)) throw consentRequired(ctx.connection, e, scopes);
    if (!ctx.allowInteraction || request.silent) {
      throw new AuthError(
        request.claims
          ? "This activation needs extra verification (MFA or an authentication context). Sign in again to complete it."
          : "Your sign-in has expired. Sign in again.",
        { cause: e, details: { needsSignIn: true, stepUp: Boolean(request.claims) } },
      );
    }
    ctx.logger.info(`interaction required${request.claims ? " for step-up" : ""}; prompting with ${ctx.method}`);
    const r = await ctx.prompts.prompt(ctx.method, request.claims, account.username, false, scopes);
    if (r.account && r.account.homeAccountId !== account.homeAccountId) {
      // A token for someone else would submit requests as the wrong person; refuse it.
      throw new AuthError(
        `You verified as ${r.account.username}, but PIM Tray is signed in as ${account.username}. Verify again as ${account.username}, or switch accounts first.`,
        {
          details: { needsSignIn: true },
        },
      );
    }
    return r.accessToken;
  }
}
