import type { PolicySummary } from "./graph/pim-client.js";
import type { Planes } from "./planes/planes.js";
import { refOf, type Eligibility } from "./planes/targets.js";

/** Policy reads in flight at once: enough to be quick for a long list, few enough not to be throttled. */
export const POLICY_CONCURRENCY = 6;

export interface EligibleWithPolicy {
  eligibility: Eligibility;
  policy: PolicySummary;
}

/** What the person may activate on every plane, each with the policy that governs it, in the planes' order. */
export async function eligibleWithPolicies(
  pim: Pick<Planes, "eligibilities" | "policy">,
  limit = POLICY_CONCURRENCY,
): Promise<EligibleWithPolicy[]> {
  return mapLimit(await pim.eligibilities(), limit, async (eligibility) => ({
    eligibility,
    policy: await pim.policy(refOf(eligibility)),
  }));
}

/** fn over items with at most `limit` calls in flight; results keep the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      // i < items.length, so items[i] is there (the index type cannot say so).
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
    }),
  );
  return results;
}
