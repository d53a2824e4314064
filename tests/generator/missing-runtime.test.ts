/**
 * yara-gen's one line when the app has no yara-orm, from the error Node itself throws (a child
 * Node in an empty directory: vitest's own resolver would find the repository's sources).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { missingRuntimeMessage } from "../../generator/missing-runtime.js";

/**
 * What Node's `import(specifier)` rejects with, from a directory where nothing is installed, or
 * only a package of `name` with this `manifest`.
 */
function importError(
  specifier: string,
  installed?: { name: string; manifest: object },
): { code: unknown; message: unknown } {
  const dir = mkdtempSync(join(tmpdir(), "yara-missing-runtime-"));
  try {
    if (installed !== undefined) {
      const pkg = join(dir, "node_modules", installed.name);
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, "package.json"), JSON.stringify(installed.manifest));
    }
    const script = `import(${JSON.stringify(specifier)}).then(() => console.log("{}"), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: dir,
      encoding: "utf8",
    });
    return JSON.parse(child.stdout) as { code: unknown; message: unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("names the missing runtime and the command that installs it", () => {
  const error = importError("yara-orm/internal");
  expect(error.code).toBe("ERR_MODULE_NOT_FOUND");
  expect(missingRuntimeMessage(error)).toBe(
    "yara-gen: yara-orm is not installed in this app; yara-gen runs the app's own runtime: " +
      "npm install yara-orm (the same version as yara-gen)",
  );
});

it("leaves any other missing package to Node's own message", () => {
  const error = importError("not-yara-orm-at-all");
  expect(error.code).toBe("ERR_MODULE_NOT_FOUND");
  expect(missingRuntimeMessage(error)).toBeUndefined();
  expect(missingRuntimeMessage(new Error("Cannot find package 'yara-orm'"))).toBeUndefined();
});

it("says so when the app's yara-orm is a version without what yara-gen imports", () => {
  // A yara-orm from before `yara-orm/internal/codegen`.
  const error = importError("yara-orm/internal/codegen", {
    name: "yara-orm",
    manifest: {
      name: "yara-orm",
      type: "module",
      exports: { ".": "./index.js", "./internal": "./internal.js" },
    },
  });
  expect(error.code).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  expect(missingRuntimeMessage(error)).toBe(
    "yara-gen: this app's yara-orm is another version than yara-gen, without what yara-gen " +
      "imports from it; yara-gen runs the app's own runtime: npm install yara-orm (the same version as yara-gen)",
  );
  // The same error from another package is Node's to report.
  const other = importError("other/internal", {
    name: "other",
    manifest: { name: "other", exports: { ".": "./index.js" } },
  });
  expect(other.code).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  expect(missingRuntimeMessage(other)).toBeUndefined();
});
