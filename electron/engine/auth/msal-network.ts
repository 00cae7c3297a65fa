import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { NetworkError } from "../errors.js";
import type { HttpClient } from "../http/http-client.js";

/**
 * MSAL's network module on top of our HTTP layer: the same fetch, timeouts and proxy for sign-in
 * as for Graph. Token POSTs are repeated only on 429/503 (refusals); an authorization code is
 * single-use, so a lost answer to its redemption must not be replayed.
 */
export class MsalNetworkModule implements INetworkModule {
  constructor(private readonly http: HttpClient) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>("POST", url, options);
  }

  async #send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
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
      throw new NetworkError(`The sign-in service at ${new URL(url).host} answered HTTP ${res.status} with something other than JSON. A proxy or captive portal may be in the way.`, { cause: e });
    }
    return { headers: res.headers, body, status: res.status };
  }
}
