import type { AccountSummary, AuthService, SignInMethod } from "./auth/auth-service.js";
import type { SettingsRepository } from "./profiles/settings-store.js";

// Signing in is two steps that belong together: MSAL's sign-in, then settings.json remembering who
// (and, once known, which tenant), so the next start of any front end goes straight to that account.

export interface AccountDeps {
  auth: Pick<AuthService, "signIn" | "signOut" | "switchAccount">;
  settings: SettingsRepository;
}

export async function signInAndRemember(
  d: AccountDeps,
  o: { method?: SignInMethod; selectAccount?: boolean } = {},
): Promise<AccountSummary> {
  const method = o.method ?? "browser";
  const account = await d.auth.signIn({ method, selectAccount: o.selectAccount ?? false });
  await d.settings.update((s) => {
    s.account = { homeAccountId: account.homeAccountId, username: account.username, method };
    // Remember the tenant once known, so later calls go straight to it.
    if (s.connection.tenant === "organizations") s.connection.tenant = account.tenantId;
  });
  return account;
}

/** Switches to an account already signed in on this computer (no prompt) and remembers it. */
export async function switchAndRemember(d: AccountDeps, idOrUsername: string): Promise<AccountSummary> {
  const account = await d.auth.switchAccount(idOrUsername);
  await d.settings.update((s) => {
    s.account = {
      homeAccountId: account.homeAccountId,
      username: account.username,
      method: s.account?.method ?? "browser",
    };
  });
  return account;
}

/** Signs out (this account, or every one) and forgets the account in settings.json. */
export async function signOutAndForget(d: AccountDeps, all = false): Promise<AccountSummary[]> {
  const removed = await d.auth.signOut(all);
  await d.settings.update((s) => {
    s.account = null;
  });
  return removed;
}

/** Offered as the default next time; blank text is not worth remembering. */
export async function rememberJustification(
  settings: SettingsRepository,
  justification: string | undefined,
): Promise<void> {
  const text = justification?.trim();
  if (!text) return;
  await settings.update((s) => {
    s.lastJustification = text;
  });
}
