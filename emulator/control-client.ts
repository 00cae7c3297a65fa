import { Agent, fetch } from "undici";
import type { z } from "zod";
import type { seedSchema, settingsPatchSchema } from "./control.js";
import type { ControlRequest, ControlRequestResult } from "./control-requests.js";
import type { FaultRule } from "./faults.js";
import type { LoggedRequest } from "./request-log.js";
import type { EmulatorInfo, EmulatorSettings } from "./settings.js";

export type SeedSpecInput = z.infer<typeof seedSchema>;
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export interface PimRequestView {
  id: string;
  status: string;
  action: string;
  groupId: string;
  accessId: string;
  principalId: string;
  approvalId: string | null;
  createdDateTime: string;
  justification: string | null;
}

export interface PimInstanceView {
  id: string;
  groupId: string;
  principalId: string;
  accessId: string;
  startDateTime: string;
  endDateTime: string;
}

/** A directory-role request, as the control API returns it (emulator/roles/json.ts). */
export interface RoleRequestView {
  id: string;
  status: string;
  action: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  principalId: string;
  approvalId: string | null;
  createdDateTime: string;
  justification: string | null;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`Emulator control call failed with HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

/** A typed client for the emulator's control API, usable from any process that has the CA. */
export class EmulatorControl {
  readonly #dispatcher: Agent;

  constructor(
    readonly controlUrl: string,
    caPem: string,
  ) {
    this.#dispatcher = new Agent({ connect: { ca: caPem } });
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      dispatcher: this.#dispatcher,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new ControlError(res.status, text);
    return JSON.parse(text) as T;
  }

  info(): Promise<EmulatorInfo> {
    return this.#call("GET", "/info");
  }
  reset(seed?: SeedSpecInput): Promise<EmulatorInfo> {
    return this.#call("POST", "/reset", seed ? { seed } : {});
  }
  settings(): Promise<EmulatorSettings> {
    return this.#call("GET", "/settings");
  }
  configure(patch: SettingsPatch): Promise<EmulatorSettings> {
    return this.#call("PATCH", "/settings", patch);
  }
  addFaults(rules: FaultRule[]): Promise<{ rules: unknown[] }> {
    return this.#call("POST", "/faults", { rules });
  }
  listFaults(): Promise<{ rules: Array<FaultRule & { remaining: number | null }> }> {
    return this.#call("GET", "/faults");
  }
  clearFaults(): Promise<{ rules: unknown[] }> {
    return this.#call("DELETE", "/faults");
  }
  advanceClock(ms: number): Promise<{ now: string; offsetMs: number }> {
    return this.#call("POST", "/clock", { advanceMs: ms });
  }
  clock(): Promise<{ now: string; offsetMs: number }> {
    return this.#call("GET", "/clock");
  }
  async requests(since = 0): Promise<LoggedRequest[]> {
    return (await this.#call<{ entries: LoggedRequest[] }>("GET", `/requests?since=${since}`)).entries;
  }
  async clearRequests(): Promise<void> {
    await this.#call("DELETE", "/requests");
  }
  async pimRequests(): Promise<PimRequestView[]> {
    return (await this.#call<{ value: PimRequestView[] }>("GET", "/pim/requests")).value;
  }
  async pimInstances(): Promise<PimInstanceView[]> {
    return (await this.#call<{ value: PimInstanceView[] }>("GET", "/pim/instances")).value;
  }
  /** A self-activation submitted as another user (on any plane), e.g. to fill an approver's inbox. */
  createRequestAs(request: ControlRequest): Promise<ControlRequestResult> {
    return this.#call("POST", "/pim/requests", request);
  }
  approve(requestId: string): Promise<PimRequestView> {
    return this.#call("POST", `/pim/requests/${encodeURIComponent(requestId)}/approve`, {});
  }
  deny(requestId: string): Promise<PimRequestView> {
    return this.#call("POST", `/pim/requests/${encodeURIComponent(requestId)}/deny`, {});
  }
  /** The directory-roles plane: an approver's decision on a pending role activation. */
  decideRole(requestId: string, decision: "approve" | "deny"): Promise<RoleRequestView> {
    return this.#call("POST", `/roles/requests/${encodeURIComponent(requestId)}/${decision}`, {});
  }
  /** The Azure resource-roles plane: an approver's decision on a pending ARM request (by its name). */
  decideArm(
    name: string,
    decision: "approve" | "deny",
  ): Promise<{ name: string; scope: string; status: "Provisioned" | "Granted" | "Denied" }> {
    return this.#call("POST", `/arm/requests/${encodeURIComponent(name)}/${decision}`, {});
  }
  async roleRequests(): Promise<RoleRequestView[]> {
    return (await this.#call<{ value: RoleRequestView[] }>("GET", "/roles/requests")).value;
  }
  setUser(user: string, patch: { sessionHasMfa?: boolean }): Promise<unknown> {
    return this.#call("POST", `/users/${encodeURIComponent(user)}`, patch);
  }
  /** Continuous access evaluation: tokens issued before now get a 401 claims challenge. */
  revokeSessions(user: string): Promise<unknown> {
    return this.#call("POST", `/users/${encodeURIComponent(user)}/revoke-sessions`, {});
  }
  async pendingDeviceCodes(): Promise<Array<{ userCode: string }>> {
    return (await this.#call<{ value: Array<{ userCode: string }> }>("GET", "/devicecodes")).value;
  }
  approveDeviceCode(userCode: string, user: string): Promise<unknown> {
    return this.#call("POST", "/devicecodes", { userCode, user });
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}
