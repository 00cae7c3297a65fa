// How often a request is polled while it is tracked. One early look at 500 ms catches instant
// provisioning; after that a steady 1 s keeps a Provisioned state seen within about a second of
// happening. Faster early polls were measured (npm run bench) to cost four extra requests per
// activation and gain nothing when provisioning takes seconds. An 8-second provisioning costs 8
// reads. Approval takes minutes to hours, so it is polled slowly. docs/cli.md documents this.

export const PROVISIONING_SCHEDULE_MS = [500];
export const PROVISIONING_STEADY_MS = 1000;
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
