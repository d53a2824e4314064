/**
 * Golden files: each `fixtures/<case>/schema.ts` generates exactly `fixtures/<case>/expected/**`
 * (`.js` implementations and `.d.ts` declarations), and the case's `usage.ts` type-checks under
 * strict against those declarations. The same client generated as TypeScript (`.ts`: the
 * implementation typed against the declarations) type-checks under strict too, with the same
 * usage. `usage.ts` proves valid filters and inputs compile and invalid ones fail
 * (`@ts-expect-error`).
 *
 * Regenerate after an intended change: `UPDATE_GOLDEN=1 npx vitest run tests/generator`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { compareFiles, writeFiles } from "../../generator/write.js";
import { typeCheck, type CheckResult } from "./support/typecheck.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const update = process.env["UPDATE_GOLDEN"] === "1";
const cases = readdirSync(fixtures).filter((name) => existsSync(join(fixtures, name, "schema.ts")));

describe.each(cases)("golden %s", (name) => {
  const dir = join(fixtures, name);
  const expectedDir = join(dir, "expected");

  it("generates the expected files", async () => {
    const result = await generate(join(dir, "schema.ts"), expectedDir);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
    if (update) await writeFiles(expectedDir, result.files);
    const diff = await compareFiles(expectedDir, result.files);
    for (const file of diff.stale) {
      expect(result.files.get(file), `${name}/expected/${file}`).toBe(
        readFileSync(join(expectedDir, file), "utf8"),
      );
    }
    expect(diff).toEqual({ stale: [], missing: [], extra: [] });
  });

  const usage = join(dir, "usage.ts");
  const usages = existsSync(usage) ? [usage] : [];

  function expectChecked(result: CheckResult): void {
    expect(result.errors).toEqual([]);
    // The runtime compiles cleanly under these options (`npm run typecheck`): a diagnostic there
    // means the check itself is set up wrong, as when every file counted as CommonJS.
    expect(result.elsewhere, `${name}: diagnostics outside the generated code`).toEqual([]);
  }

  it("type-checks under strict, with valid usage compiling and invalid usage rejected", () => {
    const declarations = readdirSync(expectedDir)
      .filter((f) => f.endsWith(".d.ts"))
      .map((f) => join(expectedDir, f));
    expect(declarations.length).toBeGreaterThan(0);
    expectChecked(typeCheck([...declarations, ...usages], dir));
    // A full strict program per fixture: ~10 s idle, several times that on a loaded machine.
  }, 120_000);

  it("generated as TypeScript, implementation and usage type-check under strict", async () => {
    const result = await generate(join(dir, "schema.ts"), expectedDir, { language: "ts" });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
    // Beside the fixture's declarations: `./expected/index.js` resolves to index.ts first.
    const sources = new Map([...result.files].map(([f, text]) => [join(expectedDir, f), text]));
    expectChecked(typeCheck(usages, dir, sources));
  }, 120_000);
});
