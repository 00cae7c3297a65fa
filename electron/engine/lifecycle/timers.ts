import type { Clock, TimerHandle } from "./clock.js";

// The lifecycle service's timers: one for the next reconcile, one per expiry warning and end, and
// the heartbeat. Kept together so that stopping the service leaves none behind.

export class LifecycleTimers {
  readonly #clock: Clock;
  readonly #running: () => boolean;
  #poll: TimerHandle | null = null;
  #expiry: TimerHandle[] = [];
  #heartbeat: TimerHandle | null = null;
  #beat = { wall: 0, mono: 0 };

  constructor(clock: Clock, running: () => boolean) {
    this.#clock = clock;
    this.#running = running;
  }

  /** Replaces the next reconcile's timer; none is armed once the service stopped. */
  poll(delay: number, fire: () => void): void {
    if (!this.#running()) return;
    this.cancelPoll();
    this.#poll = this.#clock.setTimer(() => {
      this.#poll = null;
      fire();
    }, delay);
  }

  cancelPoll(): void {
    if (this.#poll) this.#clock.clearTimer(this.#poll);
    this.#poll = null;
  }

  clearExpiry(): void {
    for (const h of this.#expiry) this.#clock.clearTimer(h);
    this.#expiry = [];
  }

  /** An expiry warning or end; cleared by the next clearExpiry(). */
  expiry(delay: number, fire: () => void): void {
    this.#expiry.push(this.#clock.setTimer(fire, delay));
  }

  /**
   * Beats every `everyMs`, comparing wall and monotonic time since the last beat; `onBeat` gets
   * both, with the beat before, and decides whether the clock jumped.
   */
  startHeartbeat(
    everyMs: number,
    onBeat: (last: { wall: number; mono: number }, now: { wall: number; mono: number }) => void,
  ): void {
    this.#beat = { wall: this.#clock.now(), mono: this.#clock.monotonic() };
    const arm = () => {
      if (!this.#running()) return;
      this.#heartbeat = this.#clock.setTimer(() => {
        const last = this.#beat;
        this.#beat = { wall: this.#clock.now(), mono: this.#clock.monotonic() };
        onBeat(last, this.#beat);
        arm();
      }, everyMs);
    };
    arm();
  }

  stopAll(): void {
    this.cancelPoll();
    this.clearExpiry();
    if (this.#heartbeat) this.#clock.clearTimer(this.#heartbeat);
    this.#heartbeat = null;
  }
}
