import { PimTrayError } from "../engine/errors.js";
import type { Eligibility } from "../engine/planes/targets.js";

// One read of the eligibility list, which may arrive in parts: a plane with many pages (a large tenant: 800
// groups are 8 of Graph's pages, one round trip each) tells the list so far after each page. The popup shows the
// first part and is told the rest, so a long list is never a wall of round trips in front of the first rows.

export type ReadInParts = (onPart: (soFar: Eligibility[]) => void) => Promise<Eligibility[]>;

export interface ListSoFar {
  list: Eligibility[];
  /** False while more pages are to come. */
  complete: boolean;
  /** The read failed after a part was shown: why the rest is missing (for people). */
  error?: string | undefined;
}

export class EligibleRead {
  readonly final: Promise<Eligibility[]>;
  #latest: Eligibility[] | null = null;
  /** The whole list, once read. */
  #whole: Eligibility[] | null = null;
  #followers = new Set<(s: ListSoFar) => void>();

  constructor(read: ReadInParts) {
    this.final = read((soFar) => {
      this.#latest = soFar;
      for (const f of this.#followers) f({ list: soFar, complete: false });
    });
    this.final.then(
      (list) => void (this.#whole = list),
      // Its failure is the next reader's to see, not an unhandled rejection.
      () => undefined,
    );
  }

  /** The list so far, before it is complete. */
  get latest(): Eligibility[] | null {
    return this.#whole ? null : this.#latest;
  }

  /** The list as soon as any of it is known: the first part, or the whole list if it came in one piece. */
  first(): Promise<ListSoFar> {
    if (this.#whole) return Promise.resolve({ list: this.#whole, complete: true });
    if (this.#latest) return Promise.resolve({ list: this.#latest, complete: false });
    return new Promise((resolve, reject) => {
      const once = (s: ListSoFar) => {
        this.#followers.delete(once);
        resolve(s);
      };
      this.#followers.add(once);
      this.final.then(
        (list) => once({ list, complete: true }),
        (e: unknown) => {
          this.#followers.delete(once);
          // A part already shown stands; with none, the read's failure is the answer.
          if (this.#latest) resolve({ list: this.#latest, complete: false });
          else reject(e);
        },
      );
    });
  }

  /** Every later part, then the whole list (complete), or nothing more if the read fails. Returns a stop. */
  follow(listener: (s: ListSoFar) => void): () => void {
    let stopped = false;
    const part = (s: ListSoFar) => {
      if (!stopped) listener(s);
    };
    this.#followers.add(part);
    this.final.then(
      (list) => {
        this.#followers.delete(part);
        part({ list, complete: true });
      },
      (e: unknown) => {
        this.#followers.delete(part);
        const why = e instanceof PimTrayError ? e.message : "The rest of the list could not be read.";
        part({ list: this.#latest ?? [], complete: true, error: `${why} Refresh to try again.` });
      },
    );
    return () => {
      stopped = true;
      this.#followers.delete(part);
    };
  }
}
