import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { backupFile, writeFileAtomic } from "../fs-util.js";
import { fallbackNames, refOf, type NamedRef, type ScheduleRequest } from "../planes/targets.js";
import { scrub } from "../logger.js";

/**
 * One line of the audit log, as read back. Never a token: only what a person would write in a
 * change record. The target's fields are optional here because files written by older versions,
 * or damaged by hand, are read too; entries are written strictly (NewHistoryEntry).
 */
export interface HistoryEntry extends HistoryFields {
  time: string;
  /** Absent on group entries (as in files from before there were planes). */
  kind?: "group" | "role" | "azure";
  groupId?: string;
  groupName?: string;
  accessId?: string;
  roleDefinitionId?: string;
  scope?: string;
  roleName?: string;
  scopeName?: string;
}

/** An entry before it is stamped with the time it was written. */
export type NewHistoryEntry = HistoryFields & HistoryTarget;

interface HistoryFields {
  action: "activate" | "validate" | "deactivate" | "cancel";
  account: string;
  durationMs: number | null;
  justification: string | null;
  ticket: string | null;
  requestId: string | null;
  status: string;
  error: string | null;
  /** "graph" for entries rebuilt from Microsoft Graph after the file was damaged. */
  source?: "graph";
}

/**
 * What an entry is about. Group lines are written as they always were (no `kind`), so files from
 * before there were planes read the same; roles carry their plane, role and scope.
 */
export type HistoryTarget =
  | { kind?: "group"; groupId: string; groupName: string; accessId: string }
  | ({ kind: "role" } & RoleHistory)
  | ({ kind: "azure" } & RoleHistory);

interface RoleHistory {
  roleDefinitionId: string;
  scope: string;
  roleName: string;
  scopeName: string;
}

export function historyTarget(t: NamedRef): HistoryTarget {
  switch (t.kind) {
    case "role":
      return {
        kind: "role",
        roleDefinitionId: t.roleDefinitionId,
        scope: t.directoryScopeId,
        roleName: t.roleName,
        scopeName: t.scopeName,
      };
    case "azure":
      return {
        kind: "azure",
        roleDefinitionId: t.roleDefinitionId,
        scope: t.scope,
        roleName: t.roleName,
        scopeName: t.scopeName,
      };
    default:
      return { groupId: t.groupId, groupName: t.groupName, accessId: t.accessId };
  }
}

/** How an entry's target reads in a table: "Platform Ops (member)", "Contributor on rg-web". */
export function historyLabel(e: HistoryEntry): string {
  if (e.kind === "role" || e.kind === "azure") {
    const role = e.roleName ?? e.roleDefinitionId ?? "?";
    return e.scope === "/" ? role : `${role} on ${e.scopeName ?? e.scope ?? "?"}`;
  }
  return `${e.groupName ?? e.groupId ?? "?"} (${e.accessId ?? "?"})`;
}

/**
 * One JSON line. Values are scrubbed before serialising: scrubbing the serialised line could cut
 * through an escaped quote (`secret=\"prod\"`) and leave a line that no longer parses.
 */
function serialise(entry: HistoryEntry): string {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) clean[k] = typeof v === "string" ? scrub(v) : v;
  return JSON.stringify(clean);
}

/** Append-only JSONL: each attempt and each outcome is one line. */
export class HistoryLog {
  /** The lines this instance appended (the newest few hundred), so a folder watcher can tell them from another process's. */
  readonly #mine = new Set<string>();

  constructor(readonly path: string) {}

  async append(entry: HistoryEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const line = serialise(entry);
    // Remembered before the write lands, so a watcher that sees the write finds it here.
    this.#mine.add(line);
    if (this.#mine.size > 500) this.#mine.delete(this.#mine.values().next().value ?? "");
    await appendFile(this.path, `${line}\n`, { mode: 0o600 });
  }

  /** Whether this instance wrote `line` (as read back from the file). */
  ownsLine(line: string): boolean {
    return this.#mine.has(line.trim());
  }

  /** The newest `limit` entries, newest last. Damaged lines are skipped and counted, not fatal. */
  async read(limit = 50): Promise<{ entries: HistoryEntry[]; skipped: number }> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], skipped: 0 };
      throw e;
    }
    const entries: HistoryEntry[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as HistoryEntry);
      } catch {
        skipped++;
      }
    }
    return { entries: entries.slice(-limit), skipped };
  }

  /**
   * If damaged lines are found, the file is backed up and rewritten from its valid lines plus the
   * requests Graph still knows that the file lacks. Returns the backup path, or null if nothing was wrong.
   */
  async repair(requests: ScheduleRequest[]): Promise<string | null> {
    const { entries, skipped } = await this.read(Number.MAX_SAFE_INTEGER);
    if (!skipped) return null;
    const backup = await backupFile(this.path, "corrupt");
    const known = new Set(entries.map((e) => e.requestId).filter(Boolean));
    const rebuilt = requests
      .filter((r) => !known.has(r.id))
      .map((r) => ({
        time: r.createdDateTime,
        action: r.action.toLowerCase() === "selfdeactivate" ? ("deactivate" as const) : ("activate" as const),
        account: "",
        ...historyTarget(fallbackNames(refOf(r))),
        durationMs: null,
        justification: r.justification,
        ticket: null,
        requestId: r.id,
        status: r.status,
        error: null,
        source: "graph" as const,
      }));
    const all = [...entries, ...rebuilt].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    await writeFileAtomic(this.path, all.map(serialise).join("\n") + "\n", 0o600);
    return backup;
  }
}
