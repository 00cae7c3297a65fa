import type { Clock, TimerHandle } from "../../electron/engine/lifecycle/clock.js";
import type { Emulator } from "../../emulator/index.js";

/**
 * A clock for the lifecycle service that is the emulator's clock: advancing it moves the service's
 * timers and the emulator's notion of now together. Timers run on monotonic time, as real timers do,
 * so `jump` (wall time only) simulates a sleep or a clock change.
 */
export class EmulatorClockForTests implements Clock {
  #timers: Array<{ id: number; at: number; fn: () => void }> = [];
  #mono = 0;
  #nextId = 1;

  constructor(
    private readonly emu: Emulator,
    private readonly settle: () => Promise<void>,
  ) {}

  now(): number {
    return this.emu.clock.now();
  }

  monotonic(): number {
    return this.#mono;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#mono + Math.max(0, ms), fn });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const id = (handle as { id: number }).id;
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Moves wall and monotonic time forward, firing due timers in order and letting their work finish. */
  async advance(ms: number): Promise<void> {
    const target = this.#mono + ms;
    for (;;) {
      await this.settle();
      const next = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      const step = next.at - this.#mono;
      if (step > 0) {
        this.emu.clock.advance(step);
        this.#mono += step;
      }
      this.#timers = this.#timers.filter((t) => t.id !== next.id);
      next.fn();
    }
    const rest = target - this.#mono;
    if (rest > 0) {
      this.emu.clock.advance(rest);
      this.#mono += rest;
    }
    await this.settle();
  }

  /** Wall time jumps (sleep, or the user changed the clock); timers do not notice by themselves. */
  jump(ms: number): void {
    this.emu.clock.advance(ms);
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }
}
