import { Agent, fetch } from "undici";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  json: any;
}

/** A bare HTTPS client for asserting on the emulator's wire format, the way a docs-reading client sees it. */
export class RawClient {
  readonly #dispatcher: Agent;

  constructor(
    readonly origin: string,
    caPem: string,
    public token: string | null = null,
  ) {
    this.#dispatcher = new Agent({ connect: { ca: caPem } });
  }

  async request(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    const url = pathOrUrl.startsWith("https://") ? pathOrUrl : `${this.origin}${pathOrUrl}`;
    const res = await fetch(url, {
      method,
      dispatcher: this.#dispatcher,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { __nonJson: text };
    }
    return { status: res.status, headers: out, json };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request("GET", path, undefined, headers);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request("POST", path, body, headers);
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

export const PIM = "/v1.0/identityGovernance/privilegedAccess/group";

export function activationBody(principalId: string, groupId: string, extra: Record<string, unknown> = {}) {
  return {
    accessId: "member",
    principalId,
    groupId,
    action: "selfActivate",
    scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    justification: "Investigating INC0012345",
    ...extra,
  };
}
