import type { PendingApproval } from "../approvals/approval-types.js";
import type { ApprovalsService } from "../approvals/approvals-service.js";
import { PimTrayError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { SettingsRepository } from "../profiles/settings-store.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { ApprovalsPicture, LifecycleEvent } from "./events.js";

// The approver's side of the lifecycle: what waits for my decision, read on a cadence of its own and
// only while "I approve requests" is on (settings.approvals.enabled). Off, it sends nothing at all.
// On, it reads each enabled plane's inbox once every `everyMs` (5 min: 12 reads per plane per hour,
// docs/lifecycle.md), plus once at start, on resume and when the popup opens (through refresh).
// Each new request is announced once: its key is kept with the lifecycle's other announcements in
// lifecycle-state.json, so a restart does not announce it again.

export const APPROVAL_WATCH_MS = 5 * 60_000;
/** After a failure (offline, throttled), the next look: not sooner than the cadence, to stay in budget. */
const RETRY_MS = APPROVAL_WATCH_MS;

export interface ApprovalWatchDeps {
  approvals: ApprovalsService;
  settings: SettingsRepository;
  clock: Clock;
  logger: Logger;
  /** Announces an event unless its key was announced before (the lifecycle's #emit). */
  emit: (key: string, e: LifecycleEvent) => void;
  /** Saves what was announced (lifecycle-state.json); awaited, so a look ends with its announcements on disk. */
  persist: () => Promise<void>;
  /** The lifecycle publishes its picture with this part replaced. */
  publish: (p: ApprovalsPicture) => void;
  /** Whether someone is signed in: without an account there is no inbox to read. */
  signedIn: () => Promise<boolean>;
  everyMs?: number;
}

export const approvalKey = (a: Pick<PendingApproval, "kind" | "requestId" | "stage">): string =>
  `approval:${a.kind}:${a.requestId.toLowerCase()}:${a.stage.index}`;

export const NO_APPROVALS: ApprovalsPicture = { on: false, items: [], planes: [], lastSyncAt: null };

export class ApprovalWatch {
  readonly #d: ApprovalWatchDeps;
  #timer: TimerHandle | null = null;
  #running = false;
  #inflight: Promise<void> | null = null;
  #picture: ApprovalsPicture = NO_APPROVALS;

  constructor(deps: ApprovalWatchDeps) {
    this.#d = deps;
  }

  get picture(): ApprovalsPicture {
    return this.#picture;
  }

  start(): Promise<void> {
    this.#running = true;
    return this.refresh("start");
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) this.#d.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** Resolves when no read is running. */
  async idle(): Promise<void> {
    while (this.#inflight) await this.#inflight.catch(() => undefined);
  }

  /** Reads the inbox now (if approvals are on); concurrent callers share one read. */
  refresh(reason: string): Promise<void> {
    this.#inflight ??= this.#look(reason).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** After a decision here: the item leaves the picture at once, before the next read. */
  decided(item: PendingApproval): void {
    this.#set({ ...this.#picture, items: this.#picture.items.filter((a) => a.requestId !== item.requestId) });
  }

  async #look(reason: string): Promise<void> {
    if (!this.#running) return;
    const { clock, logger } = this.#d;
    if (this.#timer) clock.clearTimer(this.#timer);
    this.#timer = null;
    const settings = await this.#d.settings.load().catch(() => null);
    if (!settings?.approvals.enabled || !(await this.#d.signedIn())) {
      if (this.#picture.on || this.#picture.items.length) this.#set(NO_APPROVALS);
      this.#schedule(this.#d.everyMs ?? APPROVAL_WATCH_MS);
      return;
    }
    try {
      const items = await this.#d.approvals.list();
      for (const a of items) this.#d.emit(approvalKey(a), { type: "approval-requested", approval: a });
      if (items.length) await this.#d.persist();
      this.#set({ on: true, items, planes: this.#d.approvals.status(), lastSyncAt: clock.now() });
      logger.info(`approvals (${reason}): ${items.length} waiting`);
      this.#schedule(this.#d.everyMs ?? APPROVAL_WATCH_MS);
    } catch (e) {
      logger.warn(`approvals (${reason}): the inbox could not be read`, e);
      this.#set({ ...this.#picture, on: true, planes: this.#d.approvals.status() });
      // A refused sign-in is the reconcile's to announce; here it only waits for the next look.
      this.#schedule(
        e instanceof PimTrayError && e.kind === "auth" ? (this.#d.everyMs ?? APPROVAL_WATCH_MS) : RETRY_MS,
      );
    }
  }

  #schedule(delay: number): void {
    if (!this.#running) return;
    this.#timer = this.#d.clock.setTimer(() => {
      this.#timer = null;
      void this.refresh("timer");
    }, delay);
  }

  #set(p: ApprovalsPicture): void {
    this.#picture = p;
    this.#d.publish(p);
  }
}
