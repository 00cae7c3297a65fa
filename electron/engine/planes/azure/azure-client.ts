import { describeCause } from "../../errors.js";
import type { PolicySummary } from "../../graph/policy-summary.js";
import type { Logger } from "../../logger.js";
import type { PlaneClient, PlaneSubmission, SubmitOptions } from "../plane.js";
import type { AzureAssignment, AzureEligibility, AzureRef, AzureRequest } from "../targets.js";
import type { ArmClient } from "./arm-client.js";
import { isAtOrBelow, normScope, sameRole, sameScope } from "./arm-ids.js";
import { ScheduleInstances } from "./instances.js";
import { AzurePolicies } from "./policies.js";
import { azureRequestBody } from "./request-body.js";
import { ScheduleRequests } from "./requests.js";
import { AzureScopes, type AzureScope } from "./scopes.js";

// PIM for Azure resources, through Azure Resource Manager: the Azure plane of the engine.

export interface AzurePlaneOptions {
  policyTtlMs?: number;
  now?: () => number;
}

export class AzurePlane implements PlaneClient<"azure"> {
  readonly kind = "azure" as const;
  readonly #instances: ScheduleInstances;
  readonly #requests: ScheduleRequests;
  readonly #policies: AzurePolicies;
  readonly #scopes: AzureScopes;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #logger: Logger;
  /** The last eligibility list, to link activations and find a child scope's parent policy. */
  #known: { at: number; list: AzureEligibility[] } | null = null;
  /**
   * The eligibility read in flight for linking and policy lookups: a profile's Azure targets all ask at once, and
   * one read answers them all (without it, each target read every page of the list).
   */
  #reading: Promise<AzureEligibility[]> | null = null;

  constructor(arm: ArmClient, logger: Logger, options: AzurePlaneOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#logger = logger;
    this.#ttlMs = options.policyTtlMs ?? 10 * 60_000;
    this.#instances = new ScheduleInstances(arm);
    this.#requests = new ScheduleRequests(arm, logger);
    this.#policies = new AzurePolicies(arm, logger, this.#ttlMs, this.#now);
    this.#scopes = new AzureScopes(arm);
  }

  async eligibilities(onPart?: (soFar: AzureEligibility[]) => void): Promise<AzureEligibility[]> {
    const list = await this.#instances.eligibilities(onPart);
    this.#known = { at: this.#now(), list };
    return list;
  }

  activeAssignments(filter?: AzureRef): Promise<AzureAssignment[]> {
    return this.#instances.active(filter);
  }

  myRequests(filter?: { target?: AzureRef; status?: string }): Promise<AzureRequest[]> {
    return this.#requests.mine(filter);
  }

  request(id: string): Promise<AzureRequest> {
    return this.#requests.get(id);
  }

  cancel(id: string): Promise<void> {
    return this.#requests.cancel(id);
  }

  async policy(target: AzureRef): Promise<PolicySummary> {
    // The eligibility only widens the lookup (a reduced scope's parent policy); without it, the
    // target's own scope is still read.
    const eligibility = await this.#eligibilityFor(target).catch((e: unknown) => {
      this.#logger.info(`no eligibility list for the policy lookup (${describeCause(e)})`);
      return null;
    });
    return this.#policies.policy(target, eligibility?.scope);
  }

  async warmPolicies(targets: readonly AzureRef[]): Promise<void> {
    const withScopes = await Promise.all(
      targets.map(async (target) => {
        // As policy(): the eligibility only widens the lookup, and without it the target's own scope is read.
        const eligibility = await this.#eligibilityFor(target).catch(() => null);
        return { target, eligibilityScope: eligibility?.scope };
      }),
    );
    return this.#policies.warm(withScopes);
  }

  invalidatePolicies(): void {
    this.#policies.clear();
    this.#known = null;
    this.#reading = null;
  }

  /**
   * Activates or deactivates. An activation names the eligibility it uses; when the caller did not,
   * it is the nearest eligibility for the role at or above the target scope (reduced scope: above).
   */
  async submit(s: PlaneSubmission<AzureRef>, o: SubmitOptions = {}): Promise<AzureRequest> {
    let submission = s;
    if (s.action === "activate" && !s.linkedEligibilityScheduleId) {
      const e = await this.#eligibilityFor(s.target);
      if (e) submission = { ...s, linkedEligibilityScheduleId: e.eligibilityScheduleId };
    }
    const body = azureRequestBody(submission);
    return this.#requests.submit(s.target.scope, body, { claims: o.claims, validateOnly: s.validateOnly === true });
  }

  /** Scopes below an eligibility's scope for a reduced-scope activation (resource groups, resources). */
  childScopes(scope: string, resourceType?: string): Promise<AzureScope[]> {
    return this.#scopes.children(scope, resourceType);
  }

  /** Subscriptions ARM shows the user (where an active role is held). */
  subscriptions(): Promise<AzureScope[]> {
    return this.#scopes.subscriptions();
  }

  /** A subscription's resource groups ARM shows the user. */
  resourceGroups(subscription: string): Promise<AzureScope[]> {
    return this.#scopes.resourceGroups(subscription);
  }

  /**
   * My eligibilities as last read (within the policy lifetime), else one read shared by every caller that asks
   * while it is in flight: for linking activations, not for showing (eligibilities() always reads).
   */
  knownEligibilities(): Promise<AzureEligibility[]> {
    const fresh = this.#known && this.#now() - this.#known.at < this.#ttlMs ? this.#known.list : null;
    return fresh ? Promise.resolve(fresh) : this.#sharedRead();
  }

  #sharedRead(): Promise<AzureEligibility[]> {
    if (!this.#reading) {
      const reading = this.eligibilities().finally(() => {
        if (this.#reading === reading) this.#reading = null;
      });
      this.#reading = reading;
    }
    return this.#reading;
  }

  /** The eligibility a target uses: the same scope, else the nearest one above it. */
  async #eligibilityFor(target: AzureRef): Promise<AzureEligibility | null> {
    const list = await this.knownEligibilities();
    const candidates = list.filter(
      (e) => sameRole(e.roleDefinitionId, target.roleDefinitionId) && isAtOrBelow(target.scope, e.scope),
    );
    return (
      candidates.find((e) => sameScope(e.scope, target.scope)) ??
      candidates.sort((a, b) => normScope(b.scope).length - normScope(a.scope).length)[0] ??
      null
    );
  }
}
