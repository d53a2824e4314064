/**
 * A generated client refuses to load on a runtime other than the one it was generated for,
 * naming the command that regenerates it; on its own runtime it loads as usual.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";
import { regenerateCommand } from "../../runtime/client-version.js";
import { checkClientVersion, ConfigurationError, RUNTIME_VERSION } from "../../runtime/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = join(root, "tests/generator/.work", `client-version-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("client version check", () => {
  it("the runtime's version is package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(RUNTIME_VERSION).toBe(pkg.version);
  });

  it("passes for the runtime's own version and names the regenerate command otherwise", () => {
    expect(() => checkClientVersion(RUNTIME_VERSION, "../app.schema.ts")).not.toThrow();
    const call = () => checkClientVersion("0.0.1", "../app.schema.ts");
    expect(call).toThrow(ConfigurationError);
    expect(call).toThrow(
      `was generated for yara-orm 0.0.1, but yara-orm ${RUNTIME_VERSION} is installed; regenerate it: npx yara-gen `,
    );
    const dir = join(process.cwd(), "app/generated");
    expect(regenerateCommand(dir, "../app.schema.ts")).toBe(
      "npx yara-gen app/app.schema.ts --out app/generated",
    );
  });

  it("a generated client checks at load, before any model registers: loads as generated, fails once its version differs", async () => {
    const schema = join(root, "tests/generator/fixtures/bookstore/schema.ts");
    const out = join(work, "generated");
    mkdirSync(work, { recursive: true });
    const result = await generate(schema, out);
    if (!result.ok) throw new Error("the bookstore fixture has problems");
    await writeFiles(out, result.files);
    const check = readFileSync(join(out, "_version.js"), "utf8");
    expect(check).toContain(`checkClientVersion("${RUNTIME_VERSION}", "`);
    expect(readFileSync(join(out, "index.js"), "utf8")).toContain('import "./_version.js";');
    const loaded = (await import(pathToFileURL(join(out, "index.js")).href)) as Record<
      string,
      unknown
    >;
    expect(loaded["Book"]).toBeDefined();

    const stale = join(work, "stale");
    mkdirSync(stale, { recursive: true });
    for (const [name, source] of result.files) writeFileSync(join(stale, name), source);
    writeFileSync(
      join(stale, "_version.js"),
      check.replace(`checkClientVersion("${RUNTIME_VERSION}"`, 'checkClientVersion("0.0.1"'),
    );
    const schemaFromCwd = relative(process.cwd(), schema);
    await expect(import(pathToFileURL(join(stale, "index.js")).href)).rejects.toThrow(
      `regenerate it: npx yara-gen ${schemaFromCwd} --out ${relative(process.cwd(), stale)}`,
    );
  });
});
