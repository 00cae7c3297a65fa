// docs/architecture.md cannot go stale: its layer table must say what the lint allow-lists enforce,
// and its channel table what the IPC contract and the handler table hold.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { READ_ONLY } from "../../electron/app/handlers/index.js";
import { CHANNELS, contract } from "../../electron/shared/ipc-contract.js";
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
      const saidLayers = said.split(";")[0]?.includes("`")
        ? []
        : (said.split(";")[0] ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      expect(saidLayers.sort(), `${l.name}: layers`).toEqual([...l.layers].sort());
      expect(ticks(said).sort(), `${l.name}: files and packages`).toEqual(
        [...l.files.map((f) => f.path), ...l.packages].sort(),
      );
      expect(said.includes("Node built-ins"), `${l.name}: Node built-ins`).toBe(l.node);
    }
  });
});

/** The rows of the markdown table whose header line starts with `header`, as cells. */
function tableRows(header: string): string[][] {
  const start = doc.indexOf(header);
  expect(start, `docs/architecture.md has no table starting ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of doc.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** A request schema's fields, optional ones marked `?`; none for a channel that takes nothing. */
function fieldsOf(schema: z.ZodType): string[] {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  if (!(inner instanceof z.ZodObject)) throw new Error("a request schema is an object, or an optional one");
  return Object.entries(inner.shape as Record<string, z.ZodType>).map(
    ([k, v]) => `${k}${v.safeParse(undefined).success ? "?" : ""}`,
  );
}

const contractSource = readFileSync("electron/shared/ipc-contract.ts", "utf8");

describe("docs/architecture.md, the IPC contract", () => {
  const rows = tableRows("| channel | request fields");

  it("lists every channel of the contract once", () => {
    expect(rows.map((r) => ticks(r[0] ?? "")[0]).sort()).toEqual([...CHANNELS].sort());
  });

  it("gives each channel's request fields, response type and the handler file that answers it", async () => {
    for (const [cell = "", request = "", response = "", handler = ""] of rows) {
      const channel = CHANNELS.find((c) => c === ticks(cell)[0]);
      if (!channel) throw new Error(`${cell} is not a channel`);
      expect(request === "nothing" ? [] : ticks(request), `${channel}: request fields`).toEqual(
        fieldsOf(contract[channel].request),
      );
      const declared = new RegExp(`"${channel}": \\{[^]*?returns<(.+?)>\\(\\)`).exec(contractSource)?.[1];
      expect(ticks(response)[0], `${channel}: response`).toBe(declared);
      const file: Record<string, unknown> = await import(`../../electron/${ticks(handler)[0] ?? ""}`);
      expect(
        Object.values(file).some((v) => typeof v === "object" && v !== null && channel in v),
        `${channel}: handled in ${handler}`,
      ).toBe(true);
    }
  });

  it("names the read-only channels and the pushes as the code has them", () => {
    const readOnly = /`READ_ONLY` in[^)]*\)/.exec(doc)?.[0] ?? "";
    expect(
      ticks(readOnly)
        .filter((t) => t?.includes(":"))
        .sort(),
    ).toEqual([...READ_ONLY].sort());
    const pushesLine = doc.split("\n").find((l) => l.startsWith("`Pushes`")) ?? "";
    const api = readFileSync("electron/shared/ipc-api.ts", "utf8");
    const pushesBlock = api.slice(api.indexOf("export interface Pushes {"), api.indexOf("export type PushChannel"));
    expect(
      ticks(pushesLine)
        .filter((t) => t?.includes(":"))
        .sort(),
    ).toEqual([...pushesBlock.matchAll(/^\s+"([^"]+)":/gm)].map((m) => m[1]).sort());
  });
});
