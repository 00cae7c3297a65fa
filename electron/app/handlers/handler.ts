import type { DoctorReport } from "../../engine/diagnostics/types.js";
import type { Engine } from "../../engine/engine.js";
import type { LifecycleService } from "../../engine/lifecycle/lifecycle-service.js";
import { targetKey, type Eligibility, type TargetRef } from "../../engine/planes/targets.js";
import type { AppState, Channel, ParsedRequest, Responses } from "../../shared/ipc-contract.js";
import { EligiblePolicies } from "../eligible-policies.js";
import { EligibleRead, type ListSoFar, type ReadInParts } from "../eligible-read.js";

// What a channel's handler is: a function from the validated request (zod's output for that
// channel, so no handler re-types its payload) to the channel's response type, with the app's
// capabilities handed in. A table of them must cover every channel of the contract.

/** The running token cache, as Settings → Tokens shows and switches it. */
export interface TokenStorageControl {
  /** Whether the OS has a real key store for the token cache (false on Linux basic_text). */
  readonly encryptionAvailable: boolean;
  /** Whether tokens are encrypted on disk right now; false means memory only. */
  readonly encrypted: boolean;
  /** Memory deletes the cache file at once; encrypted (where available) writes it at once. */
  use(preference: "encrypted" | "memory"): Promise<void>;
}

export interface AppPlatform {
  setStartAtLogin(enabled: boolean): Promise<void>;
  openExternal(url: string): Promise<void>;
  readonly tokenStorage: TokenStorageControl;
  /** Hides the popup (back to the tray). */
  hidePopup(): void;
  /** Runs the doctor's checks as the app sees them (its proxy, its trust store, its token cache). */
  doctor(): Promise<DoctorReport>;
  /** Asks where to save the diagnostics zip and writes it: its path, or null when the person cancelled. */
  exportDiagnostics(): Promise<string | null>;
}

/**
 * The last eligibility list the popup loaded (every plane), by targetKey: where names and Azure schedules
 * come from; and its policies, read in the background when the popup asks for them later.
 */
export class EligibleNames {
  #rows = new Map<string, Eligibility>();
  readonly policies = new EligiblePolicies();
  #ahead: { at: number; read: EligibleRead } | null = null;
  /** The read whose later parts go to the popup; a newer list stops the older one's. */
  #following: (() => void) | null = null;
  readonly #rowListeners = new Set<(s: ListSoFar) => void>();

  /** Starts reading the list the popup is about to ask for (after a sign-in), for `takeAhead`. */
  readAhead(read: ReadInParts, now = Date.now()): void {
    this.#ahead = { at: now, read: new EligibleRead(read) };
  }

  /** The list read ahead, once, if it was started at most `maxAgeMs` ago. */
  takeAhead(maxAgeMs: number, now = Date.now()): EligibleRead | null {
    const ahead = this.#ahead;
    this.#ahead = null;
    return ahead && now - ahead.at <= maxAgeMs ? ahead.read : null;
  }

  /**
   * Tells the popup the rest of `read` (after its first part was answered): each later part, then the whole
   * list, through `onRows` listeners. A newer list (a refresh) stops an older one's parts.
   */
  follow(read: EligibleRead | null, onComplete: (list: Eligibility[]) => void): void {
    this.stopFollowing();
    if (!read) return;
    const tell = (s: ListSoFar) => {
      for (const l of this.#rowListeners) l(s);
    };
    this.#following = read.follow((s) => {
      if (s.complete && !s.error) onComplete(s.list);
      tell(s);
    });
    // At once, ahead of the list's own answer: the popup learns that more is coming.
    if (read.latest) tell({ list: read.latest, complete: false });
  }

  /** No more parts of the list being followed: a newer list is asked for. */
  stopFollowing(): void {
    this.#following?.();
    this.#following = null;
  }

  onRows(listener: (s: ListSoFar) => void): () => void {
    this.#rowListeners.add(listener);
    return () => this.#rowListeners.delete(listener);
  }

  remember(list: readonly Eligibility[]): void {
    this.#rows = new Map(list.map((e) => [targetKey(e), e]));
  }

  /** A group's name. */
  get(groupId: string, accessId: string): string | undefined {
    const e = this.#rows.get(`${groupId}:${accessId}`);
    return e && e.kind !== "role" && e.kind !== "azure" ? e.groupName : undefined;
  }

  /** The eligibility for exactly this target. */
  find(t: TargetRef): Eligibility | undefined {
    return this.#rows.get(targetKey(t));
  }

  /** The eligibility whose targetKey this is. */
  byKey(key: string): Eligibility | undefined {
    return this.#rows.get(key);
  }

  all(): Eligibility[] {
    return [...this.#rows.values()];
  }
}

export interface HandlerContext {
  readonly engine: Engine;
  readonly lifecycle: LifecycleService;
  readonly platform: AppPlatform;
  readonly eligibleNames: EligibleNames;
  /** The app state as the popup sees it now. */
  state(): Promise<AppState>;
}

export type Handler<C extends Channel> = (request: ParsedRequest<C>, ctx: HandlerContext) => Promise<Responses[C]>;

/** One handler per channel: leaving one out fails typecheck. */
export type HandlerTable = { readonly [C in Channel]: Handler<C> };

/** One feature's handlers: every channel named `<prefix>:…`, and no other. */
export type FeatureHandlers<Prefix extends string> = {
  readonly [C in Extract<Channel, `${Prefix}:${string}`>]: Handler<C>;
};
