import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { FILES } from "../paths.js";
import { knownKey, type LifecycleState } from "./lifecycle-state.js";

// The tray app, `pimtray watch` and one-off `pimtray` commands share the config folder. What one
// of them changes there is how the others learn about it without asking Graph more often:
//   history.jsonl         appended on every activation, deactivation and cancel  → "activity"
//   lifecycle-state.json  rewritten after each reconcile by each running instance → "picture"
//   settings.json         profiles, lead times                                    → "settings"
//   msal-cache.json/.bin  sign-in and sign-out                                    → "account"
// The folder is watched, not the files: atomic writes replace a file by rename, which ends a
// watch on the file itself. Events are only hints (platforms coalesce, drop or omit names), so
// each flush looks at the files themselves and decides from their content.

export type FolderChange = "activity" | "picture" | "settings" | "account";

const KIND_BY_FILE: Record<string, FolderChange> = {
  [FILES.history]: "activity",
  "lifecycle-state.json": "picture",
  [FILES.settings]: "settings",
  [FILES.tokenCache]: "account",
  "msal-cache.bin": "account",
};

export interface ConfigWatcherOptions {
  dir: string;
  logger: Logger;
  /** Whether a history line was written by this instance (HistoryLog.ownsLine). */
  ownsHistoryLine?: (line: string) => boolean;
  /** This instance's picture (knownKey), compared with the one another instance saved. */
  pictureKey: () => string | null;
  /** Quiet time after the last event before looking (a burst of writes is one change). */
  debounceMs?: number;
  /** Longest wait from the first event of a burst, so steady writes cannot postpone it for ever. */
  maxWaitMs?: number;
}

const digest = (b: Buffer | null) => (b ? createHash("sha256").update(b).digest("hex") : "absent");

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

export class ConfigWatcher {
  readonly #o: Required<Omit<ConfigWatcherOptions, "ownsHistoryLine">> & Pick<ConfigWatcherOptions, "ownsHistoryLine">;
  #fs: FSWatcher | null = null;
  #listener: ((kinds: ReadonlySet<FolderChange>) => void) | null = null;
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #firstAt = 0;
  #flushing: Promise<void> | null = null;
  /** Where this instance has read history.jsonl up to. */
  #historyOffset = 0;
  #digests = new Map<string, string>();
  /** The last foreign picture acted on: seeing it again is an echo, not news. */
  #lastForeignPicture: string | null = null;

  constructor(options: ConfigWatcherOptions) {
    this.#o = { debounceMs: 250, maxWaitMs: 1000, ...options };
  }

  /** Starts watching; false when the platform refuses (then the idle cadence is the only fallback). */
  async start(listener: (kinds: ReadonlySet<FolderChange>) => void): Promise<boolean> {
    this.#listener = listener;
    const { dir, logger } = this.#o;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    this.#historyOffset = await stat(join(dir, FILES.history)).then(
      (s) => s.size,
      () => 0,
    );
    for (const name of Object.keys(KIND_BY_FILE)) {
      if (KIND_BY_FILE[name] === "settings" || KIND_BY_FILE[name] === "account")
        this.#digests.set(name, digest(await readOrNull(join(dir, name))));
    }
    try {
      this.#fs = watch(dir, { persistent: false }, (_event, name) => this.#hint(name === null ? null : String(name)));
      this.#fs.on("error", (e) => {
        logger.warn(
          `stopped watching ${dir} for changes by other PIM Tray processes; they are picked up at the next reconcile instead`,
          e,
        );
        this.close();
      });
      return true;
    } catch (e) {
      logger.warn(
        `cannot watch ${dir} for changes by other PIM Tray processes (network drive or watch limit?); they are picked up at the next reconcile instead`,
        e,
      );
      return false;
    }
  }

  close(): void {
    this.#fs?.close();
    this.#fs = null;
    this.#listener = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Resolves when no look at the folder is under way (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  #hint(name: string | null): void {
    if (!this.#listener) return;
    // No name (some platforms): look at every file. Otherwise only the files that mean something;
    // pimtray.log and the .tmp files of atomic writes change all the time and mean nothing.
    if (name === null) for (const f of Object.keys(KIND_BY_FILE)) this.#dirty.add(f);
    else if (Object.hasOwn(KIND_BY_FILE, name)) this.#dirty.add(name);
    else return;
    const now = Date.now();
    if (!this.#timer) this.#firstAt = now;
    else clearTimeout(this.#timer);
    const wait = Math.min(this.#o.debounceMs, Math.max(0, this.#firstAt + this.#o.maxWaitMs - now));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#flush();
    }, wait);
    this.#timer.unref?.();
  }

  async #flush(): Promise<void> {
    // One look at a time; hints that arrive meanwhile wait for the next.
    while (this.#flushing) await this.#flushing;
    const names = [...this.#dirty];
    this.#dirty.clear();
    if (!names.length) return;
    this.#flushing = this.#look(names)
      .then((kinds) => {
        if (kinds.size && this.#listener) this.#listener(kinds);
      })
      .catch((e: unknown) =>
        this.#o.logger.warn("could not read a file another PIM Tray process changed; the next reconcile catches up", e),
      )
      .finally(() => {
        this.#flushing = null;
      });
    await this.#flushing;
  }

  async #look(names: string[]): Promise<Set<FolderChange>> {
    const kinds = new Set<FolderChange>();
    for (const name of names) {
      const kind = Object.hasOwn(KIND_BY_FILE, name) ? KIND_BY_FILE[name] : undefined;
      const path = join(this.#o.dir, name);
      if (kind === "activity") {
        if (await this.#foreignHistory(path)) kinds.add(kind);
      } else if (kind === "picture") {
        if (await this.#newPicture(path)) kinds.add(kind);
      } else if (kind) {
        const d = digest(await readOrNull(path));
        if (d !== this.#digests.get(name)) kinds.add(kind);
        this.#digests.set(name, d);
      }
    }
    return kinds;
  }

  /** True when lines another process wrote were appended (or the file was rewritten). */
  async #foreignHistory(path: string): Promise<boolean> {
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (size < this.#historyOffset) {
      // Rewritten (repaired after damage) or removed: read from the top next time.
      this.#historyOffset = size;
      return true;
    }
    if (size === this.#historyOffset) return false;
    const fh = await open(path, "r");
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - this.#historyOffset);
      await fh.read(chunk, 0, chunk.length, this.#historyOffset);
    } finally {
      await fh.close();
    }
    // Only whole lines; a line still being written is read with the next hint.
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) return false;
    this.#historyOffset += end + 1;
    const lines = chunk
      .subarray(0, end)
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim());
    const owns = this.#o.ownsHistoryLine;
    return lines.some((l) => !owns?.(l));
  }

  /** True when another instance saved a picture that differs from ours and was not acted on yet. */
  async #newPicture(path: string): Promise<boolean> {
    const raw = await readOrNull(path);
    if (!raw) return false;
    let known: LifecycleState["known"];
    try {
      known = (JSON.parse(raw.toString("utf8")) as Partial<LifecycleState>).known ?? null;
    } catch {
      // Half-written by a writer that is not atomic, or damaged: the owner repairs it.
      return false;
    }
    const theirs = knownKey(known);
    const ours = this.#o.pictureKey();
    if (theirs === null || ours === null || theirs === ours || theirs === this.#lastForeignPicture) return false;
    this.#lastForeignPicture = theirs;
    return true;
  }
}
