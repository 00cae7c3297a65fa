import {
  AuthError as MsalAuthError,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
} from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError, ConsentRequiredError, NetworkError, PimTrayError } from "../errors.js";
import type { HttpClient } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { MsalNetworkModule } from "./msal-network.js";
import { cachePlugin, type TokenCachePersistence } from "./token-cache.js";

export type SignInMethod = "browser" | "device-code";

export interface DeviceCodeInfo {
  message: string;
  userCode: string;
  verificationUri: string;
}

/** How a front end shows sign-in to a person. */
export interface SignInUi {
  /** Opens the system browser (shell.openExternal in the app; xdg-open/open/start in the CLI). */
  openBrowser?: (url: string) => Promise<void>;
  showDeviceCode?: (info: DeviceCodeInfo) => void;
}

export interface AccountSummary {
  homeAccountId: string;
  username: string;
  name: string | null;
  tenantId: string;
  objectId: string;
}

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

export interface TokenRequest {
  /** A claims challenge as a JSON object string (not base64). */
  claims?: string | undefined;
  forceRefresh?: boolean;
}

const SUCCESS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PIM Tray: signed in</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:30rem;text-align:center}</style></head>
<body><h1>You are signed in to PIM Tray</h1><p>You can close this tab and go back to PIM Tray.</p></body></html>`;
const ERROR_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PIM Tray: sign-in failed</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:30rem;text-align:center}</style></head>
<body><h1>Sign-in did not complete</h1><p>Close this tab and try again from PIM Tray. If it keeps failing, your organisation may need to allow the app.</p></body></html>`;

export const MFA_CLAIMS = JSON.stringify({ access_token: { amr: { essential: true, values: ["mfa"] } } });

export function acrsClaims(values: string[]): string {
  const acrs = values.length === 1 ? { essential: true, value: values[0] } : { essential: true, values };
  return JSON.stringify({ access_token: { acrs } });
}

/** Where docs/cli.md explains the organisation's own registration (the popup and CLI point here). */
export const OWN_REGISTRATION_DOCS = 'docs/cli.md, section "Permissions and your own app registration"';

/** Entra's ways of saying "not consented, and this user may not consent": AADSTS65001 and 90094. */
function isConsentError(e: MsalAuthError, lastTokenError: MsalNetworkModule["lastTokenError"]): boolean {
  const sub = (e as { subError?: unknown }).subError;
  if (e.errorCode === "consent_required" || sub === "consent_required") return true;
  if (/\bAADSTS(65001|90094)\b/.test(e.errorMessage)) return true;
  // The device-code poller keeps only the error word; the network module saw the whole answer.
  return (
    e.errorCode === "post_request_failed" &&
    lastTokenError !== null &&
    e.errorMessage.trim() === lastTokenError.error &&
    (lastTokenError.suberror === "consent_required" ||
      lastTokenError.codes.includes(65001) ||
      lastTokenError.codes.includes(90094))
  );
}

function summary(a: AccountInfo): AccountSummary {
  return {
    homeAccountId: a.homeAccountId,
    username: a.username,
    name: a.name ?? null,
    tenantId: a.tenantId,
    objectId: a.localAccountId,
  };
}

/** Owns the MSAL public client: sign-in, silent tokens, step-up, sign-out, account switch. */
export class AuthService {
  readonly #pca: PublicClientApplication;
  readonly #o: AuthServiceOptions;
  readonly #network: MsalNetworkModule;
  #preferred: string | undefined;
  #method: SignInMethod;
  /** One interactive prompt at a time, shared by concurrent callers asking for the same claims. */
  #interactive = new Map<string, Promise<AuthenticationResult>>();

  constructor(options: AuthServiceOptions) {
    this.#o = options;
    this.#preferred = options.preferredAccountId;
    this.#method = options.method ?? "browser";
    const { connection, logger } = options;
    this.#network = new MsalNetworkModule(options.http);
    this.#pca = new PublicClientApplication({
      auth: {
        clientId: connection.clientId,
        authority: connection.authority,
        // Custom hosts (the emulator, a sovereign proxy) must be trusted explicitly, or MSAL asks
        // login.microsoftonline.com to discover them.
        ...(connection.custom ? { knownAuthorities: [connection.authorityHostPort] } : {}),
        clientCapabilities: ["cp1"],
      },
      cache: {
        cachePlugin: cachePlugin(options.persistence, (e) =>
          logger.warn("token cache could not be read; starting signed out", e),
        ),
      },
      system: {
        networkClient: this.#network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii) logger.debug(`msal: ${message}`);
          },
        },
      },
    });
  }

  get method(): SignInMethod {
    return this.#method;
  }

  get persistenceDescription(): string {
    return this.#o.persistence.description;
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await this.#pca.getTokenCache().getAllAccounts()).map(summary);
  }

  async #account(): Promise<AccountInfo | null> {
    const all = await this.#pca.getTokenCache().getAllAccounts();
    return all.find((a) => a.homeAccountId === this.#preferred) ?? all[0] ?? null;
  }

  async currentAccount(): Promise<AccountSummary | null> {
    const a = await this.#account();
    return a ? summary(a) : null;
  }

  /** Interactive sign-in (system browser through the loopback redirect) or device code. */
  async signIn(
    options: { method?: SignInMethod; claims?: string; loginHint?: string; selectAccount?: boolean } = {},
  ): Promise<AccountSummary> {
    const method = options.method ?? this.#method;
    const result = await this.#prompt(method, options.claims, options.loginHint, options.selectAccount ?? false);
    if (!result.account) throw new AuthError("Sign-in finished but returned no account. Try again.");
    this.#method = method;
    this.#preferred = result.account.homeAccountId;
    return summary(result.account);
  }

  async switchAccount(idOrUsername: string): Promise<AccountSummary> {
    const all = await this.#pca.getTokenCache().getAllAccounts();
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
    const cache = this.#pca.getTokenCache();
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
    if (!account)
      throw new AuthError("You are not signed in. Run `pimtray login` (or Sign in from the tray).", {
        details: { needsSignIn: true },
      });
    try {
      const r = await this.#pca.acquireTokenSilent({
        account,
        scopes: this.#o.connection.scopes,
        ...(request.claims ? { claims: request.claims } : {}),
        ...(request.forceRefresh ? { forceRefresh: true } : {}),
      });
      return r.accessToken;
    } catch (e) {
      if (!(e instanceof InteractionRequiredAuthError)) throw this.#wrap(e, "Getting a token failed");
      // Consent withdrawn: a prompt would end on "Need admin approval" again.
      if (isConsentError(e, this.#network.lastTokenError)) throw this.#consent(e);
      if (this.#o.allowInteraction === false) {
        throw new AuthError(
          request.claims
            ? "This activation needs extra verification (MFA or an authentication context). Sign in again to complete it."
            : "Your sign-in has expired. Sign in again.",
          { cause: e, details: { needsSignIn: true, stepUp: Boolean(request.claims) } },
        );
      }
      this.#o.logger.info(
        `interaction required${request.claims ? " for step-up" : ""}; prompting with ${this.#method}`,
      );
      const r = await this.#prompt(this.#method, request.claims, account.username, false);
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

  #prompt(
    method: SignInMethod,
    claims: string | undefined,
    loginHint: string | undefined,
    selectAccount: boolean,
  ): Promise<AuthenticationResult> {
    const key = `${method}|${claims ?? ""}|${selectAccount}`;
    const existing = this.#interactive.get(key);
    if (existing) return existing;
    const p = this.#promptNow(method, claims, loginHint, selectAccount).finally(() => this.#interactive.delete(key));
    this.#interactive.set(key, p);
    return p;
  }

  async #promptNow(
    method: SignInMethod,
    claims: string | undefined,
    loginHint: string | undefined,
    selectAccount: boolean,
  ): Promise<AuthenticationResult> {
    const { scopes } = this.#o.connection;
    const timeoutMs = this.#o.signInTimeoutMs ?? 5 * 60_000;
    try {
      if (method === "device-code") {
        const show = this.#o.ui.showDeviceCode;
        if (!show) throw new AuthError("Device-code sign-in is not available here.");
        const r = await this.#pca.acquireTokenByDeviceCode({
          scopes,
          ...(claims ? { claims } : {}),
          timeout: Math.round(timeoutMs / 1000),
          deviceCodeCallback: (d) =>
            show({ message: d.message, userCode: d.userCode, verificationUri: d.verificationUri }),
        });
        if (!r) throw new AuthError("Device-code sign-in was canceled.");
        return r;
      }
      const open = this.#o.ui.openBrowser;
      if (!open)
        throw new AuthError(
          "No browser is available to sign in. Use device-code sign-in instead (pimtray login --device-code).",
        );
      let timer: ReturnType<typeof setTimeout> | undefined;
      // MSAL's loopback has no timeout of its own: a closed browser tab would wait forever.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AuthError(`Sign-in was not completed within ${Math.round(timeoutMs / 60_000)} minutes. Try again.`),
            ),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([
          this.#pca.acquireTokenInteractive({
            scopes,
            openBrowser: open,
            successTemplate: SUCCESS_PAGE,
            errorTemplate: ERROR_PAGE,
            ...(claims ? { claims } : {}),
            ...(loginHint && !selectAccount ? { loginHint } : {}),
            ...(selectAccount ? { prompt: "select_account" } : {}),
          }),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      throw this.#wrap(e, "Sign-in failed");
    }
  }

  /** What to ask an administrator for, with the admin-consent URL for this tenant and client. */
  #consent(cause: unknown): ConsentRequiredError {
    const c = this.#o.connection;
    const scopes = c.scopes.map((s) => s.slice(s.lastIndexOf("/") + 1));
    const adminConsentUrl = `${c.authority}/adminconsent?client_id=${encodeURIComponent(c.clientId)}`;
    return new ConsentRequiredError(
      `Your organisation has not approved this sign-in app (client id ${c.clientId}) for PIM, and only an administrator can (AADSTS65001: consent required). ` +
        `Ask an administrator to grant admin consent for the delegated Microsoft Graph permissions ${scopes.join(", ")}, at:\n  ${adminConsentUrl}\n` +
        `Or ask them to register your organisation's own app and use its client id: see ${OWN_REGISTRATION_DOCS}.`,
      { adminConsentUrl, clientId: c.clientId, tenant: c.tenant, scopes, docs: OWN_REGISTRATION_DOCS },
      { cause },
    );
  }

  #wrap(e: unknown, what: string): PimTrayError {
    if (e instanceof PimTrayError) return e;
    if (e instanceof MsalAuthError) {
      if (isConsentError(e, this.#network.lastTokenError)) return this.#consent(e);
      const code = e.errorCode;
      if (
        code === "network_error" ||
        (code === "post_request_failed" && /ECONN|ENOTFOUND|timed out/i.test(e.errorMessage))
      ) {
        return new NetworkError(
          `${what}: the sign-in service could not be reached. Check your network, then try again.`,
          { cause: e },
        );
      }
      // Only the first line of Entra's description: it names the AADSTS code without trace noise.
      const reason = (e.errorMessage.split(/\r?\n| Trace ID:/)[0] ?? "").trim();
      const hint =
        code === "access_denied"
          ? " You canceled, or your organisation did not allow the sign-in."
          : code === "invalid_grant" || e instanceof InteractionRequiredAuthError
            ? " Sign in again."
            : "";
      return new AuthError(`${what} (${code}${reason ? `: ${reason}` : ""}).${hint}`, {
        cause: e,
        details: { msalCode: code },
      });
    }
    return new AuthError(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
