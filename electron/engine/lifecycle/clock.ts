// The lifecycle service's sense of time, injected so tests can run hours in milliseconds.
// Wall time and monotonic time are separate: a gap between them means sleep or a clock change.

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Wall-clock epoch ms. */
  now(): number;
  /** A clock that never jumps and (on most systems) stops during sleep. */
  monotonic(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Longest delay setTimeout accepts (about 24.8 days); longer waits are re-armed by the heartbeat. */
const MAX_TIMER = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, Math.max(0, Math.min(ms, MAX_TIMER))),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
