import type { AccountInfo } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError } from "../errors.js";
import type { HttpClient } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { acquireAccessToken } from "./access-token.js";
import { summary, type AccountSummary, type SignInMethod, type SignInUi, type TokenRequest } from "./auth-types.js";
import { createMsalClient, type MsalClient } from "./msal-client.js";
import { SignInPrompts } from "./sign-in-prompt.js";
import type { TokenCachePersistence } from "./token-cache.js";

// Callers import the auth vocabulary from here; the modules below are how it is built.
export type { AccountSummary, DeviceCodeInfo, SignInMethod, SignInUi, TokenRequest } from "./auth-types.js";
export { acrsClaims, MFA_CLAIMS } from "./claims.js";
export { OWN_REGISTRATION_DOCS } from "./auth-errors.js";

export interface AuthServiceOptions {
  connection: ResolvedConnection;
  http: HttpClient;
  persistence: TokenCachePersistence;
  ui: SignInUi;
  logger: Logger;
  /** The account to use when several are cached (homeAccountId). */
  preferredAccountId?: string | undefined;
  /** How to prompt when interaction is needed later (step-up, expired session). */
  method?: SignInMethod;
  /** When false, a token that needs interaction fails with "sign in again" instead of prompting. */
  allowInteraction?: boolean;
  signInTimeoutMs?: number;
}

/** Owns the MSAL public client: sign-in, silent tokens, step-up, sign-out, account switch. */
export class AuthService {
  readonly #client: MsalClient;
  readonly #prompts: SignInPrompts;
  readonly #o: AuthServiceOptions;
  #preferred: string | undefined;
  #method: SignInMethod;

  constructor(options: AuthServiceOptions) {
    this.#o = options;
    this.#preferred = options.preferredAccountId;
    this.#method = options.method ?? "browser";
    this.#client = createMsalClient(options);
    this.#prompts = new SignInPrompts({
      client: this.#client,
      connection: options.connection,
      ui: options.ui,
      signInTimeoutMs: options.signInTimeoutMs,
    });
  }

  get method(): SignInMethod {
    return this.#method;
  }

  get persistenceDescription(): string {
    return this.#o.persistence.description;
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await this.#client.pca.getTokenCache().getAllAccounts()).map(summary);
  }

  async #account(): Promise<AccountInfo | null> {
    const all = await this.#client.pca.getTokenCache().getAllAccounts();
    return all.find((a) => a.homeAccountId === this.#preferred) ?? all[0] ?? null;
  }

  async currentAccount(): Promise<AccountSummary | null> {
    const a = await this.#account();
    return a ? summary(a) : null;
  }

  /** Interactive sign-in (system browser through the loopback redirect) or device code. */
  async signIn(
    options: {
      method?: SignInMethod;
      claims?: string;
      loginHint?: string;
      selectAccount?: boolean;
      /** A plane's scopes, to consent to it (`pimtray login --plane`); the groups plane's by default. */
      scopes?: string[];
    } = {},
  ): Promise<AccountSummary> {
    const method = options.method ?? this.#method;
    const result = await this.#prompts.prompt(
      method,
      options.claims,
      options.loginHint,
      options.selectAccount ?? false,
      options.scopes,
    );
    if (!result.account) throw new AuthError("Sign-in finished but returned no account. Try again.");
    this.#method = method;
    this.#preferred = result.account.homeAccountId;
    return summary(result.account);
  }

  async switchAccount(idOrUsername: string): Promise<AccountSummary> {
    const all = await this.#client.pca.getTokenCache().getAllAccounts();
    const k = idOrUsername.toLowerCase();
    const hit = all.find((a) => a.homeAccountId.toLowerCase() === k || a.username.toLowerCase() === k);
    if (!hit) {
      throw new AuthError(
        `No signed-in account '${idOrUsername}'. Signed in: ${all.map((a) => a.username).join(", ") || "none"}. Sign in with that account first.`,
      );
    }
    this.#preferred = hit.homeAccountId;
    return summary(hit);
  }

  /** Removes the account(s) from the cache; nothing is left on disk for them. */
  async signOut(all = false): Promise<AccountSummary[]> {
    const cache = this.#client.pca.getTokenCache();
    const accounts = await cache.getAllAccounts();
    const current = await this.#account();
    const targets = all ? accounts : current ? [current] : [];
    for (const a of targets) await cache.removeAccount(a);
    if (all || (await cache.getAllAccounts()).length === 0) await this.#o.persistence.clear();
    this.#preferred = undefined;
    return targets.map(summary);
  }

  /**
   * A Graph access token: silent first; when MSAL says interaction is required, prompt (if this
   * front end allows it) with the same method the user signed in with.
   */
  async getAccessToken(request: TokenRequest = {}): Promise<string> {
    const account = await this.#account();
    return acquireAccessToken(
      {
        client: this.#client,
        connection: this.#o.connection,
        prompts: this.#prompts,
        logger: this.#o.logger,
        method: this.#method,
        allowInteraction: this.#o.allowInteraction !== false,
      },
      account,
      request,
    );
  }
}
