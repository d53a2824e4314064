/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, after vitest's own
 * report, so tools that read a run's last lines count the tests without parsing vitest's output.
 * A file that fails to load counts as a failure, and so does a run that failed before any test
 * ran (a global setup that threw, e.g. no Postgres under CI).
 */
import type { Reporter, TestModule, TestRunEndReason } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      if (module.state() === "failed" && module.children.size === 0) failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    if (reason !== "passed" && failed === 0) {
      failed = 1;
      console.log("\nThe run failed before any test could pass: see the error vitest reports.");
    }
    console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
