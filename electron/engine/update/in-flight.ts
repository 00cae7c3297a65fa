// Counts the requests in flight, so that "Restart to update" can wait for them. The composition root wraps
// every call that submits to PIM (activate, deactivate, cancel, a profile, an approval decision) in
// `track`, and hands `busy` to the update service.

export class InFlight {
  #count = 0;

  /** Runs `work`, counted as in flight until it settles either way. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#count++;
    try {
      return await work();
    } finally {
      this.#count--;
    }
  }

  busy(): boolean {
    return this.#count > 0;
  }
}
