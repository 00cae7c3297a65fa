// The config-folder watcher on a real folder with the real fs.watch: a burst of writes by another
// process is one change, this process's own writes are not a change, and the lifecycle-state.json
// that running instances rewrite after each reconcile cannot bounce between them.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../../electron/engine/fs-util.js";
import { HistoryLog, type HistoryEntry } from "../../../electron/engine/history/history-log.js";
import { ConfigWatcher, type FolderChange } from "../../../electron/engine/lifecycle/config-watcher.js";
import {
  emptyState,
  FileStateStore,
  knownKey,
  type LifecycleState,
} from "../../../electron/engine/lifecycle/lifecycle-state.js";
import { silentLogger } from "../../../electron/engine/logger.js";

let dir: string;
let watcher: ConfigWatcher | null = null;
const seen: Array<{ at: number; kinds: FolderChange[] }> = [];

const entry = (n: number): HistoryEntry => ({
  time: new Date(Date.now() + n).toISOString(),
  action: "activate",
  account: "adele@contoso.example",
  groupId: "6c03b013-0950-5d62-8881-e9fee6d96c8a",
  groupName: "Finance Admins",
  accessId: "member",
  durationMs: 3_600_000,
  justification: `line ${n}`,
  ticket: null,
  requestId: `req-${n}`,
  status: "Provisioned",
  error: null,
});

const picture = (end: string): LifecycleState["known"] => ({
  active: [
    {
      groupId: "g1",
      groupName: "Finance Admins",
      accessId: "member",
      startDateTime: "2030-01-01T10:00:00Z",
      endDateTime: end,
      assignmentType: "activated",
      groupDescription: null,
      groupMailNickname: null,
    },
  ],
  pending: [],
});

let mine: LifecycleState["known"] = null;

async function startWatcher(own: HistoryLog): Promise<void> {
  watcher = new ConfigWatcher({
    dir,
    logger: silentLogger,
    ownsHistoryLine: (l) => own.ownsLine(l),
    pictureKey: () => knownKey(mine),
    debounceMs: 200,
    maxWaitMs: 1000,
  });
  expect(await watcher.start((kinds) => seen.push({ at: Date.now(), kinds: [...kinds].sort() }))).toBe(true);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-watch-"));
  seen.length = 0;
  mine = picture("2030-01-01T11:00:00Z");
});
afterEach(() => {
  watcher?.close();
  watcher = null;
  rmSync(dir, { recursive: true, force: true });
});

describe("ConfigWatcher", () => {
  it("turns a burst of another process's history lines into one change, soon after the last", async () => {
    const own = new HistoryLog(join(dir, "history.jsonl"));
    const other = new HistoryLog(join(dir, "history.jsonl"));
    await startWatcher(own);
    const first = Date.now();
    for (let i = 0; i < 5; i++) {
      await other.append(entry(i));
      await sleep(30);
    }
    const last = Date.now();
    await sleep(900);
    expect(seen.map((s) => s.kinds)).toEqual([["activity"]]);
    const lag = (seen[0]?.at ?? Infinity) - last;
    console.log(`one change ${lag} ms after the last of 5 writes (${last - first} ms burst)`);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);
  });

  it("ignores this process's own history lines, the log and temporary files", async () => {
    const own = new HistoryLog(join(dir, "history.jsonl"));
    await startWatcher(own);
    await own.append(entry(1));
    await own.append(entry(2));
    appendFileSync(join(dir, "pimtray.log"), "2030-01-01T00:00:00Z INFO reconciled\n");
    writeFileSync(join(dir, "settings.json.123.abcd.tmp"), "{}");
    await sleep(800);
    expect(seen).toEqual([]);
    // A line from another process after our own is still seen.
    await new HistoryLog(join(dir, "history.jsonl")).append(entry(3));
    await sleep(800);
    expect(seen.map((s) => s.kinds)).toEqual([["activity"]]);
  });

  it("reports settings and token-cache rewrites (atomic renames) as their own kinds", async () => {
    await startWatcher(new HistoryLog(join(dir, "history.jsonl")));
    await writeFileAtomic(
      join(dir, "settings.json"),
      JSON.stringify({ schemaVersion: 1, notifications: { leadMinutes: [15] } }),
    );
    await sleep(800);
    await writeFileAtomic(join(dir, "msal-cache.json"), JSON.stringify({ Account: {} }));
    await sleep(800);
    expect(seen.map((s) => s.kinds)).toEqual([["settings"], ["account"]]);
  });

  it("reacts to another instance's lifecycle state only when its picture is new to this one", async () => {
    await startWatcher(new HistoryLog(join(dir, "history.jsonl")));
    const store = new FileStateStore(join(dir, "lifecycle-state.json"), silentLogger);
    // The same picture as ours (what our own save writes, or another instance that agrees): nothing.
    await store.save({ ...emptyState(), known: mine });
    await sleep(700);
    expect(seen).toEqual([]);
    // Another instance saw something we have not: reconcile.
    await store.save({ ...emptyState(), known: picture("2030-01-01T12:00:00Z") });
    await sleep(700);
    expect(seen.map((s) => s.kinds)).toEqual([["picture"]]);
    // It saves the same picture again (its next reconcile): already acted on, so no bounce, even if
    // this instance's own view still differs (another account, another Graph endpoint).
    await store.save({ ...emptyState(), known: picture("2030-01-01T12:00:00Z"), announced: { x: 1 } });
    await sleep(700);
    expect(seen).toHaveLength(1);
  });

  it("stops reporting once closed", async () => {
    await startWatcher(new HistoryLog(join(dir, "history.jsonl")));
    watcher?.close();
    await new HistoryLog(join(dir, "history.jsonl")).append(entry(1));
    await sleep(600);
    expect(seen).toEqual([]);
  });
});
