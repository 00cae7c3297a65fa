// How often a request is polled while it is tracked. Provisioning is polled every 600 ms: with PIM's
// provisioning taking 1–8 s and 100–300 ms per call (the bench's model), a look every d ms finds
// Provisioned about d/2 + one round trip after it happens and costs about 3.5 s / d + 1 looks. A
// Monte Carlo of that model (docs/performance.md) gives: every 1000 ms, 4.3 looks, lag median 717 ms,
// p95 1,250 ms; every 600 ms, 6.2 looks, 493 / 876 ms; every 500 ms, 7.1 looks, 445 / 785 ms. 600 ms is
// the slowest look that keeps the lag within issue 12's goals (median ≤ 500, p95 ≤ 1,000 ms). The
// looks are list reads shared by every request tracked on the plane (request-tracker.ts), so a profile
// pays them once, not once per request. Approval takes minutes to hours, so it is polled slowly.
// docs/cli.md documents this.

export const PROVISIONING_SCHEDULE_MS: number[] = [];
export const PROVISIONING_STEADY_MS = 600;
/** After this long in provisioning (something is wrong server-side), slow down. */
export const PROVISIONING_SLOW_AFTER_MS = 60_000;
export const PROVISIONING_SLOW_MS = 5000;

export const APPROVAL_SCHEDULE_MS = [5000, 10_000, 15_000];
export const APPROVAL_STEADY_MS = 30_000;

export type TrackPhase = "provisioning" | "approval";

export class PollSchedule {
  #index = 0;
  #phase: TrackPhase;
  #phaseStartedAt: number;

  constructor(
    phase: TrackPhase,
    private readonly now: () => number,
  ) {
    this.#phase = phase;
    this.#phaseStartedAt = now();
  }

  get phase(): TrackPhase {
    return this.#phase;
  }

  /** Switching phase restarts that phase's schedule (approval granted: provisioning begins). */
  enter(phase: TrackPhase): void {
    if (phase === this.#phase) return;
    this.#phase = phase;
    this.#index = 0;
    this.#phaseStartedAt = this.now();
  }

  next(): number {
    const i = this.#index++;
    if (this.#phase === "approval") return APPROVAL_SCHEDULE_MS[i] ?? APPROVAL_STEADY_MS;
    if (this.now() - this.#phaseStartedAt > PROVISIONING_SLOW_AFTER_MS) return PROVISIONING_SLOW_MS;
    return PROVISIONING_SCHEDULE_MS[i] ?? PROVISIONING_STEADY_MS;
  }
}
