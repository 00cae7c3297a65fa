// The lifecycle service's timers: one reconcile timer at a time, none left after stopping.
import { describe, expect, it } from "vitest";
import type { Clock, TimerHandle } from "../../../electron/engine/lifecycle/clock.js";
import { LifecycleTimers } from "../../../electron/engine/lifecycle/timers.js";

/** Wall and monotonic time move together unless `jumpWall` moves wall time alone. */
class ManualClock implements Clock {
  wall = 1_000_000;
  mono = 0;
  #timers: Array<{ id: number; at: number; fn: () => void }> = [];
  #next = 1;
  now = () => this.wall;
  monotonic = () => this.mono;
  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#timers.push({ id, at: this.mono + ms, fn });
    return { id };
  }
  clearTimer(h: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== (h as { id: number }).id);
  }
  get pending(): number {
    return this.#timers.length;
  }
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.wall += due.at - this.mono;
      this.mono = due.at;
      this.#timers = this.#timers.filter((t) => t !== due);
      due.fn();
    }
    this.wall += end - this.mono;
    this.mono = end;
  }
}

describe("lifecycle timers", () => {
  it("keeps one reconcile timer: arming another replaces it", () => {
    const clock = new ManualClock();
    const timers = new LifecycleTimers(clock, () => true);
    const fired: string[] = [];
    timers.poll(1000, () => fired.push("first"));
    timers.poll(2000, () => fired.push("second"));
    clock.advance(5000);
    expect(fired).toEqual(["second"]);
    timers.poll(1000, () => fired.push("third"));
    timers.cancelPoll();
    clock.advance(5000);
    expect(fired).toEqual(["second"]);
  });

  it("arms no reconcile once the service stopped", () => {
    const clock = new ManualClock();
    const timers = new LifecycleTimers(clock, () => false);
    timers.poll(1000, () => undefined);
    expect(clock.pending).toBe(0);
  });

  it("expiry timers are replaced as a set", () => {
    const clock = new ManualClock();
    const timers = new LifecycleTimers(clock, () => true);
    const fired: number[] = [];
    timers.expiry(1000, () => fired.push(1));
    timers.expiry(2000, () => fired.push(2));
    timers.clearExpiry();
    timers.expiry(3000, () => fired.push(3));
    clock.advance(5000);
    expect(fired).toEqual([3]);
  });

  it("the heartbeat hands each beat with the one before, and a wall-clock jump shows between them", () => {
    const clock = new ManualClock();
    const timers = new LifecycleTimers(clock, () => true);
    const drifts: number[] = [];
    timers.startHeartbeat(30_000, (last, now) => drifts.push(now.wall - last.wall - (now.mono - last.mono)));
    clock.advance(60_000);
    clock.wall += 3_600_000; // asleep for an hour: wall time moved, monotonic did not
    clock.advance(30_000);
    expect(drifts).toEqual([0, 0, 3_600_000]);
  });

  it("stopping leaves no timer behind", () => {
    const clock = new ManualClock();
    let running = true;
    const timers = new LifecycleTimers(clock, () => running);
    timers.poll(1000, () => undefined);
    timers.expiry(1000, () => undefined);
    timers.startHeartbeat(30_000, () => undefined);
    expect(clock.pending).toBe(3);
    running = false;
    timers.stopAll();
    expect(clock.pending).toBe(0);
  });
});
