import { execFileSync } from "node:child_process";

/** Builds the CLI bundle once, so CLI tests run the same artifact users run. */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
