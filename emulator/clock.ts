// The emulator's clock runs at real speed but can be shifted forward, so that expiry,
// the 5-minute deactivation floor and keep-active chains can be tested without waiting.
export class EmulatorClock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError("The clock only moves forward: advanceMs must be a non-negative number");
    }
    this.#offsetMs += ms;
    return this.now();
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
