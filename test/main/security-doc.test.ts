// docs/security.md must stay true: all 20 checklist items are listed, and each file:line it cites
// still holds the code that satisfies the item. When code moves, update the line numbers there.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const doc = readFileSync("docs/security.md", "utf8");
const rows = doc.split("\n").filter((l) => /^\| \d+ \|/.test(l));

/** What the first cited line of each item must contain. */
const EXPECT: Record<number, string> = {
  1: "loadURL(`${ORIGIN}",
  2: "nodeIntegration: false",
  3: "contextIsolation: true",
  4: "sandbox: true",
  5: "setPermissionRequestHandler",
  6: "webSecurity: true",
  7: "const CSP",
  11: "will-attach-webview",
  12: "will-attach-webview",
  13: "will-navigate",
  14: "setWindowOpenHandler",
  15: "isAllowedExternal",
  16: '"electron"',
  17: "isTrustedSender",
  18: 'protocol.handle("app"',
  19: "electronFuses",
  20: "exposeInMainWorld",
};

describe("docs/security.md", () => {
  it("lists Electron's 20 checklist items, in order", () => {
    expect(rows.map((r) => Number(r.split("|")[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("cites lines that still hold what satisfies each item", () => {
    for (const row of rows) {
      const n = Number(row.split("|")[1]);
      const cites = [...row.matchAll(/\[([^\]:]+):(\d+)\]/g)];
      for (const [, file, line] of cites) {
        const text = readFileSync(file ?? "", "utf8").split("\n")[Number(line) - 1];
        expect(text, `item ${n}: ${file}:${line} is empty or gone`).toBeTruthy();
      }
      const want = EXPECT[n];
      if (!want) continue;
      const [, file, line] = cites[0] ?? [];
      expect(
        readFileSync(file ?? "", "utf8").split("\n")[Number(line) - 1],
        `item ${n}: ${file}:${line} no longer holds ${want}; update docs/security.md`,
      ).toContain(want);
    }
  });
});
