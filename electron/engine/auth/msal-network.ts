import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { NetworkError } from "../errors.js";
import type { HttpClient } from "../http/http-client.js";

/**
 * MSAL's network module on top of our HTTP layer: the same fetch, timeouts and proxy for sign-in
 * as for Graph. Token POSTs are repeated only on 429/503 (refusals); an authorization code is
 * single-use, so a lost answer to its redemption must not be replayed.
 */
export class MsalNetworkModule implements INetworkModule {
  /**
   * The last error the token endpoint sent. MSAL's device-code poller keeps only its `error` word
   * (e.g. invalid_grant), which cannot tell a missing consent (AADSTS65001) from anything else.
   */
  lastTokenError: { error: string; suberror: string | null; codes: number[] } | null = null;

  constructor(private readonly http: HttpClient) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>("POST", url, options);
  }

  async #send<T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const res = await this.http.send({
      method,
      url,
      headers: options?.headers ?? {},
      ...(options?.body !== undefined ? { body: options.body } : {}),
      ...(timeout ? { timeoutMs: timeout } : {}),
    });
    let body: T;
    try {
      body = JSON.parse(res.text) as T;
    } catch (e) {
      throw new NetworkError(
        `The sign-in service at ${new URL(url).host} answered HTTP ${res.status} with something other than JSON. A proxy or captive portal may be in the way.`,
        { cause: e },
      );
    }
    if (method === "POST" && new URL(url).pathname.endsWith("/token")) {
      this.lastTokenError = res.status >= 400 ? tokenError(body) : null;
    }
    return { headers: res.headers, body, status: res.status };
  }
}

function tokenError(body: unknown): MsalNetworkModule["lastTokenError"] {
  if (typeof body !== "object" || body === null) return null;
  const b = body as { error?: unknown; suberror?: unknown; error_codes?: unknown };
  if (typeof b.error !== "string") return null;
  return {
    error: b.error,
    suberror: typeof b.suberror === "string" ? b.suberror : null,
    codes: Array.isArray(b.error_codes) ? b.error_codes.filter((c): c is number => typeof c === "number") : [],
  };
}
