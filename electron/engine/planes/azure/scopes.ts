import { odataString } from "../../graph/graph-client.js";
import type { ArmClient } from "./arm-client.js";
import { AUTHZ } from "./arm-ids.js";

// Scopes for the popup's scope picker: where below an eligibility a reduced-scope activation may go
// (eligibleChildResources), and the subscriptions and resource groups ARM lets the user see.

export interface AzureScope {
  id: string;
  name: string;
  /** `subscription`, `resourcegroup`, `resource` (eligibleChildResources' names). */
  type: string;
}

/** Microsoft.Resources' api-version for subscriptions and resource groups. */
export const RESOURCES_API_VERSION = "2022-12-01";

export class AzureScopes {
  constructor(private readonly arm: ArmClient) {}

  /** The scopes below `scope` the user may activate an eligibility of `scope` at; `resourceType` narrows. */
  async children(scope: string, resourceType?: string): Promise<AzureScope[]> {
    const items = await this.arm.list<{ id: string; name?: string; type?: string }>(
      `${scope.replace(/\/+$/, "")}${AUTHZ}/eligibleChildResources`,
      resourceType ? { $filter: `resourceType eq ${odataString(resourceType)}` } : {},
    );
    return items.map((i) => ({ id: i.id, name: i.name ?? i.id, type: (i.type ?? "").toLowerCase() }));
  }

  /** Subscriptions the user can read (an active role there or below). */
  async subscriptions(): Promise<AzureScope[]> {
    const items = await this.arm.list<{ id: string; displayName?: string }>("/subscriptions", {
      "api-version": RESOURCES_API_VERSION,
    });
    return items.map((s) => ({ id: s.id, name: s.displayName ?? s.id, type: "subscription" }));
  }

  /** Resource groups of a subscription (`/subscriptions/{id}`) the user can read. */
  async resourceGroups(subscription: string): Promise<AzureScope[]> {
    const items = await this.arm.list<{ id: string; name?: string }>(
      `${subscription.replace(/\/+$/, "")}/resourcegroups`,
      { "api-version": RESOURCES_API_VERSION },
    );
    return items.map((g) => ({ id: g.id, name: g.name ?? g.id, type: "resourcegroup" }));
  }
}
