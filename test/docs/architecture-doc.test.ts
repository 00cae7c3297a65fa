// docs/architecture.md cannot go stale: its layer table must say what the lint allow-lists enforce.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LAYERS } from "../../eslint-layers.js";

const doc = readFileSync("docs/architecture.md", "utf8");

/** The rows of the markdown table whose header starts with `| layer | files | may import |`. */
function layerTable(): Map<string, { files: string; mayImport: string }> {
  const start = doc.indexOf("| layer | files | may import |");
  expect(start, "docs/architecture.md has no layer table").toBeGreaterThanOrEqual(0);
  const rows = new Map<string, { files: string; mayImport: string }>();
  for (const line of doc.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const [, name = "", files = "", mayImport = ""] = line.split("|").map((c) => c.trim());
    rows.set(name, { files, mayImport });
  }
  return rows;
}

const ticks = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe("docs/architecture.md", () => {
  it("lists every layer of the lint config, with its folder and everything it may import", () => {
    const rows = layerTable();
    expect([...rows.keys()].sort()).toEqual(LAYERS.map((l) => l.name).sort());
    for (const l of LAYERS) {
      const row = rows.get(l.name);
      expect(row?.files, l.name).toBe(l.dir.endsWith("/") ? `\`${l.dir}**\`` : `\`${l.dir}\``);
      const said = row?.mayImport ?? "";
      const saidLayers = said.split(";")[0]?.includes("`") ? [] : (said.split(";")[0] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      expect(saidLayers.sort(), `${l.name}: layers`).toEqual([...l.layers].sort());
      expect(ticks(said).sort(), `${l.name}: files and packages`).toEqual([...l.files.map((f) => f.path), ...l.packages].sort());
      expect(said.includes("Node built-ins"), `${l.name}: Node built-ins`).toBe(l.node);
    }
  });
});
