import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HistoryLog, type HistoryEntry } from "../../../electron/engine/history/history-log.js";
import type { ScheduleRequest } from "../../../electron/engine/graph/pim-client.js";

const REFRESH_TOKEN = "1.AXEAkDnJ3f9n6kqZ0mR4wQxYt7uVbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOp";

function entry(justification: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    time: "2026-03-01T10:00:00.000Z",
    action: "activate",
    account: "adele@contoso.example",
    groupId: "6f1c2a3b-0000-4000-8000-000000000001",
    groupName: 'Ops "prod" \\ team',
    accessId: "member",
    durationMs: 3_600_000,
    justification,
    ticket: "ServiceNow:INC0012345",
    requestId: "0b7d3c1e-0000-4000-8000-000000000002",
    status: "Provisioned",
    error: null,
    ...extra,
  };
}

// Justifications people really type, plus the shapes that broke the old line-level scrub.
const JUSTIFICATIONS = [
  'rotate the secret="prod" key',
  'secret: "x", then "y"',
  "path C:\\ops\\secret\\rotate.ps1 and a trailing backslash \\",
  "line one\nline two\r\nsecret=abc\tend",
  'quote " and \\" and \\\\" together',
  '{"secret":"nested json"}',
  "client_secret=hunter2&code=abc",
  "keep the word secret as it is",
  '}, "injected": true, "x": "',
];

describe("history log lines", () => {
  let dir: string;
  let log: HistoryLog;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pimtray-history-"));
    log = new HistoryLog(join(dir, "history.jsonl"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("every line written parses, whatever the justification holds", async () => {
    for (const j of JUSTIFICATIONS) await log.append(entry(j));
    const lines = readFileSync(log.path, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(JUSTIFICATIONS.length);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const { entries, skipped } = await log.read(100);
    expect(skipped).toBe(0);
    expect(entries).toHaveLength(JUSTIFICATIONS.length);
    // The group name and other fields survive untouched.
    for (const e of entries) expect(e.groupName).toBe('Ops "prod" \\ team');
  });

  it("keeps ordinary text exactly and redacts only the secret values", async () => {
    for (const j of JUSTIFICATIONS) await log.append(entry(j));
    const { entries } = await log.read(100);
    const got = entries.map((e) => e.justification);
    expect(got[0]).toBe('rotate the secret="[redacted]" key');
    expect(got[2]).toBe(JUSTIFICATIONS[2]);
    expect(got[3]).toBe("line one\nline two\r\nsecret=[redacted]\tend");
    expect(got[4]).toBe(JUSTIFICATIONS[4]);
    expect(got[6]).not.toContain("hunter2");
    expect(got[7]).toBe("keep the word secret as it is");
    expect(got[8]).toBe(JUSTIFICATIONS[8]);
    expect(entries[8]).not.toHaveProperty("injected");
  });

  it("redacts token-shaped values in any field before they reach the file", async () => {
    await log.append(
      entry(`pasted by mistake: ${REFRESH_TOKEN}`, { error: `refresh failed: refresh_token=${REFRESH_TOKEN}` }),
    );
    const text = readFileSync(log.path, "utf8");
    expect(text).not.toContain(REFRESH_TOKEN);
    expect(() => JSON.parse(text.trim())).not.toThrow();
  });

  it("a repaired file has only parsable lines", async () => {
    await log.append(entry('rotate the secret="prod" key'));
    writeFileSync(log.path, readFileSync(log.path, "utf8") + "{not json\n");
    const fromGraph: ScheduleRequest = {
      id: "0b7d3c1e-0000-4000-8000-000000000003",
      action: "selfActivate",
      status: "Provisioned",
      groupId: "6f1c2a3b-0000-4000-8000-000000000001",
      accessId: "member",
      justification: 'secret="x" \\ "y"\nz',
      createdDateTime: "2026-03-01T11:00:00.000Z",
      startDateTime: null,
      duration: "PT1H",
      approvalId: null,
    };
    expect(await log.repair([fromGraph])).not.toBeNull();
    const lines = readFileSync(log.path, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect((await log.read()).skipped).toBe(0);
  });
});
