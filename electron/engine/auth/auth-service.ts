import type { AccountInfo } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError, ConsentRequiredError, PimTrayError } from "../errors.js";
import type { HttpClient } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { summary, type AccountSummary, type SignInMethod, type SignInUi, type TokenRequest } from "./auth-types.js";
import type { MsalClient } from "./msal-client.js";
import type { SignInPrompts } from "./sign-in-prompt.js";
import type { TokenCachePersistence } from "./token-cache.js";
import { parseWarmCache, realmFromMetadata, warmAccessToken, warmAccount, type WarmCache } from "./warm-token.js";

// Callers import the auth vocabulary from here; the modules below are how it is built.
export type { AccountSummary, DeviceCodeInfo, SignInMethod, SignInUi, TokenRequest } from "./auth-types.js";
export { acrsClaims, MFA_CLAIMS } from "./claims.js";
export { OWN_REGISTRATION_DOCS } from "./auth-types.js";

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

interface Msal {
  client: MsalClient;
  prompts: SignInPrompts;
  acquireAccessToken: typeof import("./access-token.js").acquireAccessToken;
}

/**
 * Owns the MSAL public client: sign-in, silent tokens, step-up, sign-out, account switch. The client is
 * created on first use, once the sign-in host's metadata kept from an earlier run (if the persistence keeps
 * any) is read: a command that never asks for a token or an account never creates it.
 */
export class AuthService {
  #msal: Promise<Msal> | null = null;
  readonly #o: AuthServiceOptions;
  #preferred: string | undefined;
  #method: SignInMethod;
  /**
   * Writing the metadata MSAL read, or removing the kept one: each at most once per process, and every caller
   * waits for it, so a command that ends on its first failure or token has finished with the file.
   */
  #keeping: Promise<void> | null = null;
  #dropping: Promise<void> | null = null;
  #realm: Promise<string | null> | null = null;

  constructor(options: AuthServiceOptions) {
    this.#o = options;
    this.#preferred = options.preferredAccountId;
    this.#method = options.method ?? "browser";
  }

  #ready(): Promise<Msal> {
    this.#msal ??= this.#create();
    return this.#msal;
  }

  async #create(): Promise<Msal> {
    const store = this.#o.persistence.authorityMetadata;
    let authorityMetadata: string | null = null;
    if (store) {
      try {
        authorityMetadata = await store.load(this.#o.connection.authority);
      } catch (e) {
        // Losing it costs one request: MSAL reads the document as it did before there was a store.
        this.#o.logger.warn("the sign-in host's kept metadata could not be read; reading it again", e);
      }
    }
    const { acquireAccessToken, createMsalClient, SignInPrompts } = await import("./msal-parts.js");
    const client = createMsalClient({ ...this.#o, authorityMetadata });
    const prompts = new SignInPrompts({
      client,
      connection: this.#o.connection,
      ui: this.#o.ui,
      signInTimeoutMs: this.#o.signInTimeoutMs,
    });
    return { client, prompts, acquireAccessToken };
  }

  /**
   * The token cache as MSAL wrote it, for a warm start without MSAL (warm-token.ts): only where the persistence
   * offers it (the CLI's file), only for the account chosen at sign-in, and only before MSAL is loaded; once it
   * is, MSAL answers everything. Null whenever in doubt: MSAL then reads the cache itself and reports problems.
   */
  async #warmCache(): Promise<WarmCache | null> {
    if (!this.#o.persistence.warmStart || this.#msal || !this.#preferred) return null;
    try {
      return parseWarmCache(await this.#o.persistence.load());
    } catch {
      // MSAL reads the same file next and reports what is wrong with it.
      return null;
    }
  }

  /** The tenant this connection's tokens are issued in, from the sign-in host's kept metadata; read once. */
  #warmRealm(): Promise<string | null> {
    const store = this.#o.persistence.authorityMetadata;
    if (!store) return Promise.resolve(null);
    this.#realm ??= store.load(this.#o.connection.authority).then(realmFromMetadata, () => null);
    return this.#realm;
  }

  async #warmToken(request: TokenRequest): Promise<string | null> {
    // A claims challenge or a refused token is MSAL's business: it never takes a token from the cache then.
    if (request.claims || request.forceRefresh || !this.#preferred) return null;
    const [cache, realm] = await Promise.all([this.#warmCache(), this.#warmRealm()]);
    if (!cache || !realm) return null;
    return warmAccessToken(cache, {
      homeAccountId: this.#preferred,
      clientId: this.#o.connection.clientId,
      realm,
      scopes: request.scopes ?? this.#o.connection.scopes,
      nowS: Math.floor(Date.now() / 1000),
    });
  }

  async #client(): Promise<MsalClient> {
    return (await this.#ready()).client;
  }

  /**
   * After a token: MSAL accepted the metadata it read from the network (it checks the issuer before any
   * token, even a cached one), so it is kept for the next run. Never fatal: the token is what was asked for.
   */
  #keepMetadata(client: MsalClient): Promise<void> {
    const store = this.#o.persistence.authorityMetadata;
    const read = client.readMetadata();
    if (!store || read === null) return Promise.resolve();
    this.#keeping ??= store
      .save(this.#o.connection.authority, read)
      .catch((e: unknown) => this.#o.logger.warn("the sign-in host's metadata could not be kept for the next run", e));
    return this.#keeping;
  }

  /**
   * A token failed while MSAL used the kept metadata: it may be what failed (an endpoint that moved), so the
   * next run reads it from the network again. Not for answers about the person (consent, sign in again),
   * which the metadata cannot cause and which a plane may give at every run.
   */
  #dropMetadata(client: MsalClient, e: unknown): Promise<void> {
    const store = this.#o.persistence.authorityMetadata;
    if (!store || !client.keptMetadata) return Promise.resolve();
    if (e instanceof ConsentRequiredError) return Promise.resolve();
    if (e instanceof PimTrayError && e.details.needsSignIn === true) return Promise.resolve();
    this.#dropping ??= store.clear().then(
      () => this.#o.logger.info("a token failed with the sign-in host's kept metadata; the next run reads it again"),
      (err: unknown) => this.#o.logger.warn("the sign-in host's kept metadata could not be removed", err),
    );
    return this.#dropping;
  }

  get method(): SignInMethod {
    return this.#method;
  }

  get persistenceDescription(): string {
    return this.#o.persistence.description;
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await (await this.#client()).pca.getTokenCache().getAllAccounts()).map(summary);
  }

  async #account(): Promise<AccountInfo | null> {
    const all = await (await this.#client()).pca.getTokenCache().getAllAccounts();
    return all.find((a) => a.homeAccountId === this.#preferred) ?? all[0] ?? null;
  }

  async currentAccount(): Promise<AccountSummary | null> {
    const cache = await this.#warmCache();
    const warm = cache && this.#preferred ? warmAccount(cache, this.#preferred) : null;
    if (warm) return warm;
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
    const { client, prompts } = await this.#ready();
    let result;
    try {
      result = await prompts.prompt(
        method,
        options.claims,
        options.loginHint,
        options.selectAccount ?? false,
        options.scopes,
      );
    } catch (e) {
      await this.#dropMetadata(client, e);
      throw e;
    }
    await this.#keepMetadata(client);
    if (!result.account) throw new AuthError("Sign-in finished but returned no account. Try again.");
    this.#method = method;
    this.#preferred = result.account.homeAccountId;
    return summary(result.account);
  }

  async switchAccount(idOrUsername: string): Promise<AccountSummary> {
    const all = await (await this.#client()).pca.getTokenCache().getAllAccounts();
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
    const cache = (await this.#client()).pca.getTokenCache();
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
    const warm = await this.#warmToken(request);
    if (warm) return warm;
    const { client, prompts, acquireAccessToken } = await this.#ready();
    const account = await this.#account();
    let token: string;
    try {
      token = await acquireAccessToken(
        {
          client,
          connection: this.#o.connection,
          prompts,
          logger: this.#o.logger,
          method: this.#method,
          allowInteraction: this.#o.allowInteraction !== false,
        },
        account,
        request,
      );
    } catch (e) {
      await this.#dropMetadata(client, e);
      throw e;
    }
    await this.#keepMetadata(client);
    return token;
  }
}
