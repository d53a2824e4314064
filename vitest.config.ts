import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^yara-orm$/, replacement: here("./runtime/index.ts") },
      { find: /^yara-orm\/schema$/, replacement: here("./schema/index.ts") },
      { find: /^yara-orm\/migrations$/, replacement: here("./runtime/migrations/index.ts") },
      { find: /^yara-orm\/internal$/, replacement: here("./runtime/internal.ts") },
      {
        find: /^yara-orm\/internal\/codegen$/,
        replacement: here("./runtime/internal-codegen.ts"),
      },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: [
      "tests/support/global-setup.ts",
      "tests/support/generate-client.ts",
      "tests/support/replica-suite.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
