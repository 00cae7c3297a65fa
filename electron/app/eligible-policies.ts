import { PolicyFill, type EligibleWithPolicy, type FilledPolicy } from "../engine/eligible.js";
import type { Planes } from "../engine/planes/planes.js";
import { refOf, targetKey, type Eligibility } from "../engine/planes/targets.js";
import type { PoliciesPush, PolicyView, RowPolicy } from "../shared/ipc-contract.js";
import { policyView } from "./view-model.js";

// The policies of the list the popup shows. A long list is shown before its policies are read (each row
// marked loading); one background fill reads them, the rows on screen first, and they reach the popup in
// `pim:policies-read` pushes. What was read is kept across lists, so a list read again shows the policies it
// knew at once while a refresh reads them again.

const NOTHING_KNOWN: Omit<PolicyView, "status"> = {
  known: false,
  maxMinutes: null,
  approvalRequired: false,
  approvers: [],
  mfaRequired: false,
  authContext: null,
  justificationRequired: false,
  ticketRequired: false,
};

/** A row whose policy main has not read yet. */
export const LOADING_POLICY: PolicyView = { status: "loading", ...NOTHING_KNOWN };
/** A row whose policy could not be read (the read failed; Activate tries again). */
export const UNREAD_POLICY: PolicyView = { status: "unread", ...NOTHING_KNOWN };

const viewOfFilled = (f: FilledPolicy): PolicyView => (f.policy ? policyView(f.policy) : UNREAD_POLICY);

export class EligiblePolicies {
  #views = new Map<string, PolicyView>();
  #fill: PolicyFill | null = null;
  readonly #listeners = new Set<(p: PoliciesPush) => void>();

  /** Tells `listener` each batch of policies read; returns the unsubscribe. */
  on(listener: (p: PoliciesPush) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The row's policy as main knows it now: the last one read, else loading. */
  viewOf(e: Eligibility): PolicyView {
    return this.#views.get(targetKey(e)) ?? LOADING_POLICY;
  }

  /** Policies read with the list (the list asked for with every policy first). */
  remember(rows: readonly EligibleWithPolicy[]): void {
    for (const r of rows) this.#views.set(targetKey(r.eligibility), policyView(r.policy));
  }

  /** Reads the list's policies in the background; a fill for an older list stops. */
  fill(planes: Pick<Planes, "policy" | "warmPolicies">, list: readonly Eligibility[]): void {
    this.#fill?.stop();
    const fill = new PolicyFill(planes, list, {
      onBatch: (results, remaining) => {
        if (this.#fill !== fill) return;
        const policies = results.map((r) => {
          const policy = viewOfFilled(r);
          // A failed read keeps what an earlier one found: it may be stale, never wrong for long (main checks).
          const kept = policy.status === "unread" ? this.#views.get(r.key) : undefined;
          this.#views.set(r.key, kept ?? policy);
          return { key: r.key, policy: kept ?? policy };
        });
        for (const l of this.#listeners) l({ policies, remaining });
      },
    });
    this.#fill = fill;
  }

  /** Until the last fill has read every policy of its list (or stopped); at once without one. */
  async settled(): Promise<void> {
    await this.#fill?.done;
  }

  /**
   * These rows' policies, read ahead of the rest of the list (joining reads in flight), once they are read.
   * A row whose read fails again is answered as unread.
   */
  async read(planes: Pick<Planes, "policy">, rows: readonly Eligibility[]): Promise<RowPolicy[]> {
    const fill = this.#fill;
    const reads = rows.map((e) => ({ e, key: targetKey(e), read: fill ? fill.now(e) : planes.policy(refOf(e)) }));
    // Each `now` put its row at the front; the rows' own order, at the front.
    fill?.first(reads.map((r) => r.key));
    return Promise.all(
      reads.map(async ({ key, read }) => {
        try {
          const policy = policyView(await read);
          this.#views.set(key, policy);
          return { key, policy };
        } catch {
          return { key, policy: this.#views.get(key) ?? UNREAD_POLICY };
        }
      }),
    );
  }

  /** Signed out: stop reading, forget what was read. */
  clear(): void {
    this.#fill?.stop();
    this.#fill = null;
    this.#views = new Map();
  }
}
