import type { AccountSummary } from "../../engine/auth/auth-service.js";
import { AuthError } from "../../engine/errors.js";
import { PLANE_LABELS } from "../../engine/planes/targets.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { parseKind } from "../parse.js";
import { whoamiJson, whoamiText } from "../present.js";

// `pimtray login`, `logout` and `whoami`, and the sign-in check every Graph command starts with.

/** Demo mode signs in by itself; elsewhere a missing sign-in is a clear error with the fix. */
export async function requireAccount(ctx: CliContext): Promise<AccountSummary> {
  const account = await ctx.engine.auth.currentAccount();
  if (account) return account;
  if (ctx.demo) return ctx.engine.signIn({ method: "browser" });
  throw new AuthError(
    "You are not signed in. Run `pimtray login` (or `pimtray login --device-code` without a browser).",
    {
      details: { needsSignIn: true },
    },
  );
}

export async function cmdLogin(
  ctx: CliContext,
  o: { deviceCode?: boolean; selectAccount?: boolean; account?: string; plane?: string },
): Promise<number> {
  const plane = parseKind(o.plane, "--plane");
  if (plane && plane !== "group") {
    // Consent for one plane: its scopes alone, interactively. Reads never prompt, so this is where a
    // person grants the Entra ID roles' or Azure's permissions when the organisation lets users consent.
    const account = await ctx.engine.auth.signIn({
      method: o.deviceCode ? "device-code" : "browser",
      selectAccount: Boolean(o.selectAccount),
      scopes: ctx.engine.connection.planeScopes[plane],
    });
    if (ctx.out.json) ctx.out.write(JSON.stringify({ account, plane }));
    else ctx.out.write(`${PLANE_LABELS[plane].many}: signed in as ${account.username}; consent is in place.`);
    return EXIT.ok;
  }
  if (o.account) {
    // Switch to an account that is already signed in on this computer: no prompt.
    const account = await ctx.engine.switchAccount(o.account);
    if (ctx.out.json) ctx.out.write(JSON.stringify({ account }));
    else ctx.out.write(`Now using ${account.name ?? account.username} (${account.username}).`);
    return EXIT.ok;
  }
  const account = await ctx.engine.signIn({
    method: o.deviceCode ? "device-code" : "browser",
    selectAccount: Boolean(o.selectAccount),
  });
  if (ctx.out.json) ctx.out.write(JSON.stringify({ account }));
  else {
    ctx.out.write(
      `Signed in as ${account.name ?? account.username} (${account.username}), tenant ${account.tenantId}.`,
    );
  }
  return EXIT.ok;
}

export async function cmdLogout(ctx: CliContext, o: { all?: boolean }): Promise<number> {
  const removed = await ctx.engine.signOut(Boolean(o.all));
  const usernames = removed.map((a) => a.username);
  if (ctx.out.json) ctx.out.write(JSON.stringify({ signedOut: usernames }));
  else if (removed.length) {
    ctx.out.write(`Signed out ${usernames.join(", ")}. Its tokens were removed from this computer.`);
  } else ctx.out.write("No account was signed in.");
  return EXIT.ok;
}

export async function cmdWhoami(ctx: CliContext): Promise<number> {
  const account = await ctx.engine.auth.currentAccount();
  const others = (await ctx.engine.auth.accounts())
    .filter((a) => a.homeAccountId !== account?.homeAccountId)
    .map((a) => a.username);
  const facts = {
    account,
    otherAccounts: others,
    connection: ctx.engine.connection,
    tokenStorage: ctx.engine.auth.persistenceDescription,
  };
  ctx.out.write(ctx.out.json ? JSON.stringify(whoamiJson(facts)) : whoamiText(facts));
  return account ? EXIT.ok : EXIT.auth;
}
