// The layer rules are enforced by lint; these tests prove the rules fire, so a broken config cannot pass silently.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("layer boundaries", () => {
  it("fails lint when the engine imports electron", async () => {
    const messages = await lint(`import { app } from "electron";\nexport const x = app;\n`, "electron/engine/example.ts");
    expect(messages.join("\n")).toMatch(/no-restricted-imports: .*Electron-free/);
  });

  it("fails lint when the engine imports an adapter", async () => {
    const messages = await lint(`import { x } from "../adapters/tray.js";\nexport const y = x;\n`, "electron/engine/example.ts");
    expect(messages.join("\n")).toMatch(/no-restricted-imports/);
  });

  it("fails lint when the renderer imports Node or the engine", async () => {
    expect((await lint(`import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n`, "renderer/example.ts")).join("\n")).toMatch(/no-restricted-imports/);
    expect((await lint(`import { e } from "../electron/engine/x.js";\nexport const r = e;\n`, "renderer/example.ts")).join("\n")).toMatch(/no-restricted-imports/);
  });

  it("lets adapters import electron", async () => {
    const messages = await lint(`import { app } from "electron";\nexport const x = app;\n`, "electron/adapters/example.ts");
    expect(messages.filter((m) => m.startsWith("no-restricted-imports"))).toEqual([]);
  });
});
