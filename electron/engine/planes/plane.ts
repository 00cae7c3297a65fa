import type { PolicySummary } from "../graph/policy-summary.js";
import type {
  ActiveAssignment,
  AzureRef,
  Eligibility,
  GroupRef,
  PlaneKind,
  RoleRef,
  ScheduleRequest,
  TargetRef,
} from "./targets.js";

// What the engine asks of each plane. Each plane turns these calls into its own service's requests
// (Graph for groups and directory roles, Azure Resource Manager for Azure roles); everything above
// (activation, tracking, lifecycle, profiles) works on the union and never on a plane's wire shapes.

type RefOf<K extends PlaneKind> = K extends "role" ? RoleRef : K extends "azure" ? AzureRef : GroupRef;
export type EligibilityOf<K extends PlaneKind> = Extract<Eligibility, RefOf<K>>;
export type AssignmentOf<K extends PlaneKind> = Extract<ActiveAssignment, RefOf<K>>;
export type RequestOf<K extends PlaneKind> = Extract<ScheduleRequest, RefOf<K>>;
export type { RefOf };

export interface Ticket {
  system: string;
  number: string;
}

/** A selfActivate or selfDeactivate, in domain terms; the plane writes its service's body. */
export interface PlaneSubmission<R extends TargetRef = TargetRef> {
  action: "activate" | "deactivate";
  target: R;
  principalId: string;
  /** Activation only. */
  durationMs?: number;
  startAt?: Date | undefined;
  justification?: string | undefined;
  ticket?: Ticket | undefined;
  validateOnly?: boolean | undefined;
  /**
   * Azure only: the eligibility being activated (its schedule's ARM id). For a reduced-scope
   * activation the target's scope is a child of the eligibility's.
   */
  linkedEligibilityScheduleId?: string | undefined;
}

export interface SubmitOptions {
  /** A claims challenge to satisfy (authentication context, MFA), as a JSON object string. */
  claims?: string | undefined;
}

export interface PlaneClient<K extends PlaneKind = PlaneKind> {
  readonly kind: K;
  /** `onPart`: a long list so far, after each page but the last, so it can be shown before its end. */
  eligibilities(onPart?: (soFar: EligibilityOf<K>[]) => void): Promise<EligibilityOf<K>[]>;
  /** My active assignments; `filter` narrows to one target (server-side where the service can). */
  activeAssignments(filter?: RefOf<K>): Promise<AssignmentOf<K>[]>;
  /** My requests, newest first; `filter` narrows server-side where the service can. */
  myRequests(filter?: { target?: RefOf<K>; status?: string }): Promise<RequestOf<K>[]>;
  request(id: string): Promise<RequestOf<K>>;
  /** Cancels a pending request of mine. */
  cancel(id: string): Promise<void>;
  /** The policy for a target, cached for a while; a refused read gives UNKNOWN_POLICY. */
  policy(target: RefOf<K>): Promise<PolicySummary>;
  /**
   * Reads the policies of several targets not yet known together (a Graph batch, an ARM list per scope), so that
   * policy() for each answers from the cache. Never throws: a failure reaches whoever asks policy() for it.
   */
  warmPolicies(targets: readonly RefOf<K>[]): Promise<void>;
  invalidatePolicies(): void;
  /**
   * Runs `reads` with the first pages of the lists they ask for sent together where the service can (a Graph
   * plane's $batch, with that plane's token); a plane without it just runs them.
   */
  together?<T>(reads: () => Promise<T>): Promise<T>;
  submit(s: PlaneSubmission<RefOf<K>>, o?: SubmitOptions): Promise<RequestOf<K>>;
  /**
   * Hears each 429 the service gave a submission that the HTTP client did not see itself (one inside a Graph
   * batch), so that a profile's submission gate halves as it does for any 429. Planes without batches omit it.
   */
  onThrottled?(listener: (retryAfterMs: number) => void): void;
}

/** Any plane, for code that dispatches on a target's kind. */
export type AnyPlane = PlaneClient<"group"> | PlaneClient<"role"> | PlaneClient<"azure">;
