/**
 * Outside runtime/dialect/ nothing tests a database's name: the runtime asks the Dialect object
 * (docs/design.md, "Dialects"), so a third database never silently takes another's branch.
 * Only the two places that turn a URL into a driver may switch on the name, exhaustively
 * (a new database fails to compile there until it is added).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const NAME = String.raw`["'\`](?:postgres|postgresql|sqlite)["'\`]`;
/** `x === "postgres"`, `"sqlite" !== x`, and the loose forms. */
const COMPARISON = new RegExp(String.raw`[!=]==?\s*${NAME}|${NAME}\s*[!=]==?`);
const CASE = new RegExp(String.raw`\bcase\s+${NAME}\s*:`);
/** Where a URL becomes a driver: the URL schemes and the driver per database. */
const SWITCHES_ALLOWED = new Set(["runtime/config.ts", "runtime/driver/open.ts"]);

function runtimeFiles(): string[] {
  return readdirSync(join(root, "runtime"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)).replaceAll("\\", "/"))
    .filter((path) => !path.startsWith("runtime/dialect/"));
}

/** `path:line: text` of every line of `files` matching `pattern`. */
function offending(files: readonly string[], pattern: RegExp): string[] {
  const found: string[] = [];
  for (const path of files) {
    readFileSync(join(root, path), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`${path}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe("dialect names outside runtime/dialect/", () => {
  const files = runtimeFiles();

  test("the patterns catch the forms they are for", () => {
    for (const bad of [
      `driver.dialect === "postgres"`,
      `"sqlite" !== dialect`,
      `name == 'sqlite'`,
      "d.name === `postgres`",
    ])
      expect(COMPARISON.test(bad), bad).toBe(true);
    expect(COMPARISON.test(`{ dialect: "sqlite", filename }`)).toBe(false);
    expect(CASE.test(`    case "postgres": {`)).toBe(true);
    expect(files).toContain("runtime/query/state.ts");
    expect(files.some((f) => f.startsWith("runtime/dialect/"))).toBe(false);
  });

  test("no comparison with a dialect's name", () => {
    expect(offending(files, COMPARISON)).toEqual([]);
  });

  test("switches on a dialect's name only where a URL becomes a driver", () => {
    expect(
      offending(
        files.filter((f) => !SWITCHES_ALLOWED.has(f)),
        CASE,
      ),
    ).toEqual([]);
  });
});
