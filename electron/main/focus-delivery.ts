import type { Focus } from "../app/app-controller.js";

// "Open the popup on this item" must survive a popup that is not listening yet. A click on a
// notification may create the popup (the app started hidden at login): its page then loads and only
// then subscribes to pushes, so an app:focus sent at once would be lost and the popup would open on
// its first tab. The focus waits for the page's first app:get-state, which the popup sends as it
// subscribes (renderer/main.tsx), and goes out then; once the page listens, at once.

export class FocusDelivery {
  #listening = false;
  #pending: Focus | null = null;

  constructor(private readonly send: (f: Focus) => void) {}

  /** Shows `f` in the popup now, or as soon as its page listens (only the latest waits). */
  focus(f: Focus): void {
    if (this.#listening) this.send(f);
    else this.#pending = f;
  }

  /** The popup's page asked for the state: its push listeners are in place. */
  listening(): void {
    this.#listening = true;
    const f = this.#pending;
    this.#pending = null;
    if (f) this.send(f);
  }
}
