import type { AuthenticationResult } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import { AuthError } from "../errors.js";
import { wrapAuthError } from "./auth-errors.js";
import type { SignInMethod, SignInUi } from "./auth-types.js";
import type { MsalClient } from "./msal-client.js";

const SUCCESS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PIM Tray: signed in</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:30rem;text-align:center}</style></head>
<body><h1>You are signed in to PIM Tray</h1><p>You can close this tab and go back to PIM Tray.</p></body></html>`;
const ERROR_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PIM Tray: sign-in failed</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:30rem;text-align:center}</style></head>
<body><h1>Sign-in did not complete</h1><p>Close this tab and try again from PIM Tray. If it keeps failing, your organisation may need to allow the app.</p></body></html>`;

export interface SignInPromptOptions {
  client: MsalClient;
  connection: ResolvedConnection;
  ui: SignInUi;
  signInTimeoutMs?: number | undefined;
}

/** Interactive sign-in: the system browser through MSAL's loopback redirect, or a device code. */
export class SignInPrompts {
  readonly #o: SignInPromptOptions;
  /** One interactive prompt at a time, shared by concurrent callers asking for the same claims. */
  #interactive = new Map<string, Promise<AuthenticationResult>>();

  constructor(options: SignInPromptOptions) {
    this.#o = options;
  }

  prompt(
    method: SignInMethod,
    claims: string | undefined,
    loginHint: string | undefined,
    selectAccount: boolean,
    /** The plane's scopes; the groups plane's (the connection's) when not given. */
    scopes: string[] = this.#o.connection.scopes,
  ): Promise<AuthenticationResult> {
    const key = `${method}|${claims ?? ""}|${selectAccount}|${scopes.join(" ")}`;
    const existing = this.#interactive.get(key);
    if (existing) return existing;
    const p = this.#promptNow(method, claims, loginHint, selectAccount, scopes).finally(() =>
      this.#interactive.delete(key),
    );
    this.#interactive.set(key, p);
    return p;
  }

  async #promptNow(
    method: SignInMethod,
    claims: string | undefined,
    loginHint: string | undefined,
    selectAccount: boolean,
    scopes: string[],
  ): Promise<AuthenticationResult> {
    const { pca, network } = this.#o.client;
    const timeoutMs = this.#o.signInTimeoutMs ?? 5 * 60_000;
    try {
      if (method === "device-code") {
        const show = this.#o.ui.showDeviceCode;
        if (!show) throw new AuthError("Device-code sign-in is not available here.");
        const r = await pca.acquireTokenByDeviceCode({
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
          pca.acquireTokenInteractive({
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
      throw wrapAuthError(e, "Sign-in failed", this.#o.connection, network.lastTokenError, scopes);
    }
  }
}
