// Subscribers to the lifecycle service's events and picture. One that throws is logged and
// skipped: a broken notifier must not stop the tray from updating, nor the reverse.

export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Returns the unsubscribe function. */
  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  tell(value: T): void {
    for (const l of this.#set) {
      try {
        l(value);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}
