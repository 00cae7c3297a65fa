#!/usr/bin/env node
"use strict";
// Runs the built CLI through its code cache (electron/cli/code-cache.ts); from a source checkout without a
// build, runs the TypeScript through tsx. CommonJS, as the CLI it runs: an ES module here would start Node's ES
// module loader first, about 10 ms of every start (docs/cli.md, "Start-up time").
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const root = join(__dirname, "..");
const built = join(root, "dist", "cli", "pimtray.cjs");
if (existsSync(built)) {
  require(join(root, "dist", "cli", "code-cache.cjs")).runWithCodeCache(built);
} else {
  import("tsx/esm/api")
    .then(({ register }) => {
      register();
      return import(pathToFileURL(join(root, "electron", "cli", "pimtray.ts")).href);
    })
    .catch((e) => {
      process.stderr.write(`pimtray: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
