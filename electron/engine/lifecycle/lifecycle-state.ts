import { readFile } from "node:fs/promises";
import { backupFile, writeFileAtomic } from "../fs-util.js";
import type { Logger } from "../logger.js";
import { targetKey, type ActiveAssignment, type ScheduleRequest } from "../planes/targets.js";

/** What the service remembers across restarts, so that nothing is announced twice or lost. */
export interface LifecycleState {
  version: 1;
  /** Announced event keys and when; pruned after a week. */
  announced: Record<string, number>;
  /**
   * The last picture seen, on every plane; null until the first successful reconcile. Records
   * written before there were planes have no `kind` and read as groups, so the version stays 1.
   */
  known: { active: ActiveAssignment[]; pending: ScheduleRequest[] } | null;
  /** Keep-active chains by profile id. */
  keepActive: Record<string, { renewals: number; stopped: boolean; day: string }>;
}

export function emptyState(): LifecycleState {
  return { version: 1, announced: {}, known: null, keepActive: {} };
}

/**
 * What a picture says, independent of order and of when it was taken: two instances that agree on
 * Graph produce the same key. Null before the first reconcile.
 */
export function knownKey(known: LifecycleState["known"]): string | null {
  if (!known) return null;
  const active = known.active.map((a) => `${targetKey(a)}:${a.startDateTime}:${a.endDateTime ?? ""}`).sort();
  const pending = known.pending.map((r) => `${r.id}:${r.status}`).sort();
  return JSON.stringify([active, pending]);
}

export interface LifecycleStateStore {
  load(): Promise<LifecycleState>;
  save(state: LifecycleState): Promise<void>;
}

export class MemoryStateStore implements LifecycleStateStore {
  #state: LifecycleState = emptyState();
  async load() {
    return structuredClone(this.#state);
  }
  async save(s: LifecycleState) {
    this.#state = structuredClone(s);
  }
}

/** lifecycle-state.json: written atomically; a damaged file is backed up and rebuilt from Graph. */
export class FileStateStore implements LifecycleStateStore {
  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<LifecycleState> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw e;
    }
    try {
      const s = JSON.parse(text) as LifecycleState;
      if (
        s.version !== 1 ||
        typeof s.announced !== "object" ||
        s.announced === null ||
        typeof s.keepActive !== "object"
      )
        throw new Error("unexpected shape");
      return s;
    } catch (e) {
      const copy = await backupFile(this.path, "corrupt");
      this.logger.warn(`${this.path} was damaged; a copy is at ${copy}; rebuilding from Microsoft Graph`, e);
      return emptyState();
    }
  }

  async save(state: LifecycleState): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(state), 0o600);
  }
}
