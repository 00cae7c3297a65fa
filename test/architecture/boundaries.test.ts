// The layer rules are enforced by lint as allow-lists (eslint-layers.js); these tests prove each rule
// fires, and that what a layer is allowed stays allowed, so a broken config cannot pass silently.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "layers/allowed-imports").map((m) => m.message);
}
const use = (source: string) => `import * as x from "${source}";\nexport const y = x;\n`;
const useType = (source: string) => `import type { X } from "${source}";\nexport type Y = X;\n`;

/** [file that imports, what it imports, a part of the message] — each must fail lint. */
const refused: Array<[string, string, string]> = [
  [
    "electron/engine/example.ts",
    "electron",
    "The engine layer (domain logic: no Electron, no UI) may not import package 'electron'",
  ],
  ["electron/engine/example.ts", "../adapters/tray-service.js", "may not import the adapters layer"],
  ["electron/engine/example.ts", "../app/app-controller.js", "may not import the app layer"],
  ["electron/engine/example.ts", "../shared/ipc-contract.js", "may not import the shared layer"],
  ["electron/engine/example.ts", "../preview/main.js", "may not import the preview layer"],
  ["electron/engine/example.ts", "../../emulator/index.js", "may not import the emulator layer"],
  ["electron/engine/example.ts", "../cli/output.js", "may not import the cli layer"],
  ["electron/engine/example.ts", "preact", "package 'preact'"],
  ["electron/app/example.ts", "electron", "The app layer"],
  ["electron/app/example.ts", "../adapters/ipc.js", "may not import the adapters layer"],
  ["electron/app/example.ts", "../main/main.js", "may not import the main layer"],
  ["electron/app/example.ts", "node:fs", "Node built-in 'node:fs'"],
  ["electron/shared/example.ts", "electron", "The shared layer"],
  ["electron/shared/example.ts", "../engine/engine.js", "may not import the engine layer"],
  ["electron/shared/example.ts", "node:fs", "Node built-in"],
  ["electron/shared/ipc-api.ts", "./ipc-contract.js", "The api layer"],
  ["electron/shared/ipc-api.ts", "zod", "package 'zod'"],
  ["electron/preview/example.ts", "electron", "The preview layer"],
  ["electron/preview/example.ts", "../adapters/ipc.js", "may not import the adapters layer"],
  ["electron/preview/example.ts", "../main/main.js", "may not import the main layer"],
  ["electron/cli/example.ts", "electron", "The cli layer"],
  ["electron/cli/example.ts", "../app/app-controller.js", "may not import the app layer"],
  ["electron/cli/example.ts", "../adapters/ipc.js", "may not import the adapters layer"],
  ["electron/adapters/example.ts", "../main/main.js", "The adapters layer"],
  ["electron/adapters/example.ts", "../cli/output.js", "may not import the cli layer"],
  ["electron/main/example.ts", "../preview/main.js", "The main layer"],
  ["electron/main/example.ts", "../../emulator/index.js", "may not import the emulator layer"],
  ["electron/main/example.ts", "../cli/context.js", "may not import the cli layer"],
  ["electron/preview/example.ts", "../cli/output.js", "The preview layer"],
  ["electron/node/example.ts", "../cli/output.js", "The node layer"],
  ["electron/node/example.ts", "../app/app-controller.js", "may not import the app layer"],
  ["electron/node/example.ts", "electron", "package 'electron'"],
  ["electron/engine/example.ts", "../node/file-logger.js", "may not import the node layer"],
  ["electron/preload/example.ts", "../shared/ipc-contract.js", "The preload layer"],
  ["electron/preload/example.ts", "node:fs", "Node built-in"],
  ["renderer/example.ts", "node:fs", "The renderer layer (the sandboxed popup) may not import Node built-in 'node:fs'"],
  ["renderer/example.ts", "../electron/engine/errors.js", "may not import the engine layer"],
  ["renderer/example.ts", "../electron/shared/ipc-contract.js", "may not import the shared layer"],
  ["renderer/example.ts", "../electron/cli/output.js", "may not import the cli layer"],
  ["renderer/example.ts", "electron", "package 'electron'"],
  ["renderer/example.ts", "zod", "package 'zod'"],
  [
    "emulator/example.ts",
    "../electron/engine/errors.js",
    "The emulator layer (the test bed: stands alone) may not import the engine layer",
  ],
  ["emulator/example.ts", "electron", "package 'electron'"],
];

/** Imports each layer is meant to have: these must stay clean. */
const allowed: Array<[string, string]> = [
  ["electron/engine/example.ts", "@azure/msal-node"],
  ["electron/engine/example.ts", "node:fs"],
  ["electron/engine/auth/example.ts", "../errors.js"],
  ["electron/shared/example.ts", "../engine/config.js"],
  ["electron/shared/example.ts", "zod"],
  ["electron/app/example.ts", "../engine/engine.js"],
  ["electron/app/example.ts", "../shared/ipc-contract.js"],
  ["electron/adapters/example.ts", "electron"],
  ["electron/adapters/example.ts", "../app/tray-model.js"],
  ["electron/main/example.ts", "../adapters/ipc.js"],
  ["electron/main/example.ts", "../node/demo-emulator.js"],
  ["electron/preview/example.ts", "../node/demo-sign-in.js"],
  ["electron/cli/example.ts", "../node/file-logger.js"],
  ["electron/node/example.ts", "../engine/logger.js"],
  ["electron/node/example.ts", "undici"],
  ["electron/node/example.ts", "node:child_process"],
  ["electron/preload/example.ts", "electron"],
  ["electron/preload/example.ts", "../shared/ipc-api.js"],
  ["electron/preview/example.ts", "../../emulator/index.js"],
  ["renderer/example.ts", "../electron/shared/ipc-api.js"],
  ["renderer/example.ts", "preact/hooks"],
  ["emulator/example.ts", "node-forge"],
];

describe("layer allow-lists", () => {
  it.each(refused)("%s may not import %s", async (file, source, message) => {
    expect((await lint(use(source), file)).join("\n")).toContain(message);
  });

  it.each(allowed)("%s may import %s", async (file, source) => {
    expect(await lint(use(source), file)).toEqual([]);
  });

  it("lets the bridge API take types, and only types, from the contract", async () => {
    expect(await lint(useType("./ipc-contract.js"), "electron/shared/ipc-api.ts")).toEqual([]);
    expect((await lint(use("./ipc-contract.js"), "electron/shared/ipc-api.ts")).length).toBe(1);
  });

  it("checks dynamic imports and re-exports too", async () => {
    expect(await lint(`export const m = () => import("electron");\n`, "electron/engine/example.ts")).toHaveLength(1);
    expect(await lint(`export * from "../adapters/ipc.js";\n`, "electron/engine/example.ts")).toHaveLength(1);
  });
});
