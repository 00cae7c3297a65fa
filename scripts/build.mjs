// Bundles the CLI (and the emulator it starts for --demo) with esbuild. Dependencies stay external:
// they are loaded from node_modules, as installed by npm.
import { build } from "esbuild";

const common = { bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", sourcemap: "linked", logLevel: "warning" };

await Promise.all([
  build({ ...common, entryPoints: ["electron/cli/pimtray.ts"], outfile: "dist/cli/pimtray.mjs" }),
  build({ ...common, entryPoints: ["emulator/cli.ts"], outfile: "dist/cli/emulator.mjs" }),
]);
