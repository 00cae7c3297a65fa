import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { Agent, fetch } from "undici";

/**
 * A minimal MSAL network module that trusts the emulator's CA. Tests of the emulator use it so
 * that they exercise MSAL itself, not our engine's HTTP layer (which has its own tests).
 */
export function emulatorNetworkClient(caPem: string): INetworkModule & { close(): Promise<void> } {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  async function send<T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    const res = await fetch(url, { method, headers: options?.headers, body: options?.body, dispatcher });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { headers, body: (await res.json()) as T, status: res.status };
  }
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
    close: () => dispatcher.close(),
  };
}
