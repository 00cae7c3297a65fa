import { randomUUID } from "node:crypto";
import { ArmError, UsageError } from "../../errors.js";
import { OutcomeUnknownError } from "../../http/http-client.js";
import type { Logger } from "../../logger.js";
import type { AzureRequest } from "../targets.js";
import type { ArmClient } from "./arm-client.js";
import { AUTHZ, isAtOrBelow, sameRole, sameScope } from "./arm-ids.js";
import type { ArmRequestBody } from "./request-body.js";

// The signed-in user's roleAssignmentScheduleRequests: listing, reading, cancelling and submitting.
// A request is known by its full ARM id (`{scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/{name}`).

interface RawRequest {
  id: string;
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId?: string;
    requestType: string;
    status: string;
    approvalId?: string | null;
    justification?: string | null;
    createdOn?: string | null;
    scheduleInfo?: { startDateTime?: string | null; expiration?: { duration?: string | null } | null } | null;
  };
}

export function toRequest(r: RawRequest): AzureRequest {
  const p = r.properties;
  return {
    kind: "azure",
    id: r.id,
    roleDefinitionId: p.roleDefinitionId,
    scope: p.scope,
    action: p.requestType,
    status: p.status,
    justification: p.justification ?? null,
    createdDateTime: p.createdOn ?? new Date(0).toISOString(),
    startDateTime: p.scheduleInfo?.startDateTime ?? null,
    duration: p.scheduleInfo?.expiration?.duration ?? null,
    approvalId: p.approvalId ?? null,
  };
}

const REQUESTS = `${AUTHZ}/roleAssignmentScheduleRequests`;

/** Our ids are ARM request ids; anything else is refused before it reaches the network with a token. */
function requestPath(id: string): string {
  if (!/^\/.*\/providers\/Microsoft\.Authorization\/roleAssignmentScheduleRequests\/[^/?#]+$/i.test(id)) {
    throw new UsageError(`'${id}' is not an Azure role request id.`);
  }
  return id;
}

export class ScheduleRequests {
  constructor(
    private readonly arm: ArmClient,
    private readonly logger: Logger,
  ) {}

  /** My requests at every scope, newest first; `filter` narrows them here (ARM filters by function only). */
  async mine(filter?: {
    target?: { roleDefinitionId: string; scope: string };
    status?: string;
  }): Promise<AzureRequest[]> {
    const raw = await this.arm.list<RawRequest>(REQUESTS, { $filter: "asRequestor()" });
    return raw
      .map(toRequest)
      .filter(
        (r) =>
          (!filter?.target ||
            (sameRole(r.roleDefinitionId, filter.target.roleDefinitionId) &&
              sameScope(r.scope, filter.target.scope))) &&
          (!filter?.status || r.status.toLowerCase() === filter.status.toLowerCase()),
      )
      .sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }

  async get(id: string): Promise<AzureRequest> {
    const r = await this.arm.request<RawRequest>({ method: "GET", path: requestPath(id) });
    return toRequest(r.body);
  }

  async cancel(id: string): Promise<void> {
    await this.arm.request({ method: "POST", path: `${requestPath(id)}/cancel` });
  }

  /**
   * PUTs the request under a fresh GUID at `scope` (or POSTs it to /validate). A PUT whose answer was
   * lost is sent again under the same name: the name is new, so a 409 "already exists" means the first
   * one arrived, and that request is read back instead of failing.
   */
  async submit(scope: string, body: ArmRequestBody, o: { claims?: string | undefined; validateOnly?: boolean }) {
    const name = randomUUID();
    const path = `${scope.replace(/\/+$/, "")}${REQUESTS}/${name}`;
    const send = () =>
      this.arm.request<RawRequest>({
        method: o.validateOnly ? "POST" : "PUT",
        path: o.validateOnly ? `${path}/validate` : path,
        body,
        claims: o.claims,
      });
    let retried = false;
    try {
      let r;
      try {
        r = await send();
      } catch (e) {
        if (!(e instanceof OutcomeUnknownError)) throw e;
        this.logger.warn(`the answer to an Azure role request was lost (${name}); sending it again`);
        retried = true;
        r = await send();
      }
      return toRequest(r.body);
    } catch (e) {
      const exists =
        e instanceof ArmError &&
        e.status === 409 &&
        (e.code === "RoleAssignmentRequestExists" || e.serverMessage.includes(name));
      if (o.validateOnly || !exists) throw e;
      // The name is ours and new: only our own earlier attempt can hold it.
      this.logger.info(`Azure role request ${name} already exists${retried ? " after a retry" : ""}; reading it`);
      const existing = await this.get(path);
      if (
        !isAtOrBelow(existing.scope, scope) ||
        !sameRole(existing.roleDefinitionId, body.properties.roleDefinitionId)
      ) {
        throw e;
      }
      return existing;
    }
  }
}
