#!/usr/bin/env node
// Runs the built CLI through its code cache (electron/cli/code-cache.ts); from a source checkout without a
// build, runs the TypeScript through tsx.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "pimtray.cjs");
if (existsSync(built)) {
  createRequire(import.meta.url)(join(root, "dist", "cli", "code-cache.cjs")).runWithCodeCache(built);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(root, "electron", "cli", "pimtray.ts")).href);
}
