import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/support/global-setup.ts"],
    // Each suite starts its own emulator on port 0, so files run in parallel safely.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // electron-store imports electron; inlined, it gets the test's fake instead of the real package
    // (whose first import would try to download a binary).
    server: { deps: { inline: ["electron-store"] } },
  },
});
