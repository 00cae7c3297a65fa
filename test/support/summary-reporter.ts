// Prints one plain closing line, "Summary: N passed, N failed, N skipped", and the reason for every
// skipped test, so a skip is always visible and never mistaken for a pass.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons: string[] = [];
    for (const mod of testModules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++; // a file that failed to load
      for (const test of mod.children.allTests()) {
        const r = test.result();
        if (r.state === "passed") passed++;
        else if (r.state === "failed") failed++;
        else if (r.state === "skipped") {
          skipped++;
          reasons.push(`  skipped: ${test.fullName}${r.note ? ` (${r.note})` : ""}`);
        }
      }
    }
    const out = process.stdout;
    if (reasons.length) out.write(`\nSkipped tests:\n${reasons.join("\n")}\n`);
    out.write(`\nSummary: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
