/**
 * A bundled app keeps the native engine when `yara-orm` is external, and says why not when the
 * runtime is inlined (docs/install.md, Bundlers). A temporary app stands in for an install:
 * node_modules/yara-orm (runtime/ and schema/ compiled to JavaScript file for file, as in `dist/`), the
 * platform package @yara-orm/engine-<triple> holding this repository's build, and a server
 * bundled with esbuild both ways, then run with plain node.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { build as viteBuild, type InlineConfig } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentPlatform, enginePackageName } from "../../../runtime/driver/native/platform.js";
import { pgUrl } from "../../support/targets.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const PKG = enginePackageName(currentPlatform()) ?? "";
const SERVER = `
import { YaraOrm, nativeEngineStatus } from "yara-orm";
const out = { status: nativeEngineStatus(), drivers: {} };
for (const url of ["sqlite://:memory:", process.env.YARA_PG_URL]) {
  try {
    await YaraOrm.init(url);
    out.drivers[url.split(":")[0]] = YaraOrm.driver.name;
    await YaraOrm.close();
  } catch (err) {
    out.drivers[url.split(":")[0]] = err.message;
  }
}
console.log(JSON.stringify(out));
`;

/** The bundle imports yara-orm at run time rather than containing it. */
const KEPT_EXTERNAL = /from\s*["']yara-orm["']/;

let dir: string;
let app: string;

function tsFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "yara-bundle-"));
  app = join(dir, "app");
  const modules = join(app, "node_modules");
  // yara-orm as installed: the runtime as JavaScript under dist/, its dependencies beside it.
  const yara = join(modules, "yara-orm");
  await build({
    entryPoints: [...tsFiles(join(root, "runtime")), ...tsFiles(join(root, "schema"))],
    outdir: join(yara, "dist"),
    outbase: root,
    format: "esm",
    platform: "node",
    logLevel: "error",
  });
  writeFileSync(
    join(yara, "package.json"),
    JSON.stringify({
      name: "yara-orm",
      type: "module",
      exports: { ".": "./dist/runtime/index.js" },
    }),
  );
  // The repository's other packages stand in for the app's (pg, zod, better-sqlite3, …).
  for (const dep of readdirSync(join(root, "node_modules"))) {
    if (dep === ".bin" || dep === "yara-orm" || dep === "@yara-orm" || dep.startsWith("."))
      continue;
    symlinkSync(join(root, "node_modules", dep), join(modules, dep), "dir");
  }
  // The platform package, holding this repository's build.
  const engine = join(modules, ...PKG.split("/"));
  mkdirSync(engine, { recursive: true });
  writeFileSync(
    join(engine, "package.json"),
    JSON.stringify({ name: PKG, version: "0.0.0", main: "yara_native.node" }),
  );
  copyFileSync(join(root, "native", "yara_native.node"), join(engine, "yara_native.node"));
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "app",
      private: true,
      type: "module",
      dependencies: { "yara-orm": "*" },
    }),
  );
  mkdirSync(join(app, "src"));
  writeFileSync(join(app, "src", "server.ts"), SERVER);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runNode(file: string, cwd: string) {
  const r = spawnSync(process.execPath, [file], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, YARA_NATIVE_ADDON: "", YARA_REQUIRE_NATIVE: "", YARA_PG_URL: pgUrl() },
  });
  expect(r.status, r.stderr).toBe(0);
  return {
    out: JSON.parse(r.stdout) as {
      status: {
        loaded: boolean;
        source: string | null;
        path?: string;
        problem?: string;
        fix?: string;
      };
      drivers: Record<string, string>;
    },
    stderr: r.stderr,
  };
}

describe("a bundled app", { timeout: 120_000 }, () => {
  it("with yara-orm external, the engine serves SQLite and Postgres from the platform package", async () => {
    const outfile = join(app, "dist", "server.js");
    await build({
      entryPoints: [join(app, "src", "server.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      external: ["yara-orm"],
      outfile,
      logLevel: "error",
    });
    expect(readFileSync(outfile, "utf8")).toMatch(KEPT_EXTERNAL);
    const { out, stderr } = runNode(outfile, app);
    expect(out.status).toMatchObject({
      loaded: true,
      source: "platform-package",
      path: join(app, "node_modules", ...PKG.split("/"), "yara_native.node"),
    });
    expect(out.drivers).toEqual({ sqlite: "native", postgres: "native" });
    expect(stderr).toBe("");
  });

  it.each<[string, InlineConfig["ssr"]]>([
    ["defaults", undefined],
    ["noExternal: true with external: [yara-orm]", { noExternal: true, external: ["yara-orm"] }],
  ])(
    "built with vite --ssr (%s), the engine serves from the platform package",
    async (name, ssr) => {
      const outDir = join(app, `dist-vite-${name.length}`);
      await viteBuild({
        root: app,
        configFile: false,
        logLevel: "silent",
        ...(ssr === undefined ? {} : { ssr }),
        build: { ssr: join(app, "src", "server.ts"), outDir, emptyOutDir: true },
      });
      expect(readdirSync(outDir)).toEqual(["server.js"]);
      expect(readFileSync(join(outDir, "server.js"), "utf8")).toMatch(KEPT_EXTERNAL);
      const { out, stderr } = runNode(join(outDir, "server.js"), app);
      expect(out.status).toMatchObject({ loaded: true, source: "platform-package" });
      expect(out.drivers).toEqual({ sqlite: "native", postgres: "native" });
      expect(stderr).toBe("");
    },
  );

  it("vite --ssr with noExternal: true alone inlines the runtime (why the docs add external)", async () => {
    const outDir = join(app, "dist-vite-inlined");
    await viteBuild({
      root: app,
      configFile: false,
      logLevel: "silent",
      ssr: { noExternal: true },
      build: { ssr: join(app, "src", "server.ts"), outDir, emptyOutDir: true },
    });
    expect(readFileSync(join(outDir, "server.js"), "utf8")).not.toMatch(KEPT_EXTERNAL);
  });

  it("with the runtime inlined, the status and init's notice say 'bundled' and the fix", async () => {
    const outfile = join(app, "dist", "inlined.js");
    await build({
      entryPoints: [join(app, "src", "server.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      external: ["pg", "better-sqlite3"],
      outfile,
      logLevel: "error",
    });
    // Deployed with the packages left external, but not yara-orm's platform package.
    const deploy = join(dir, "deploy");
    mkdirSync(join(deploy, "node_modules"), { recursive: true });
    for (const dep of ["pg", "better-sqlite3"]) {
      symlinkSync(join(app, "node_modules", dep), join(deploy, "node_modules", dep), "dir");
    }
    const deployed = join(deploy, "server.js");
    copyFileSync(outfile, deployed);
    writeFileSync(join(deploy, "package.json"), JSON.stringify({ type: "module" }));
    expect(readFileSync(deployed, "utf8")).not.toMatch(KEPT_EXTERNAL);
    const { out, stderr } = runNode(deployed, deploy);
    const problem = `bundled: the runtime was bundled into ${deployed}, and no addon was found from there`;
    expect(out.status.loaded).toBe(false);
    expect(out.status.problem?.startsWith(problem), out.status.problem).toBe(true);
    expect(out.status.fix).toBe(
      "mark yara-orm external in the bundler (docs/install.md, Bundlers)",
    );
    expect(out.drivers).toEqual({ sqlite: "better-sqlite3", postgres: "pg" });
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`yara: native engine not loaded (${problem}`), lines[0]).toBe(true);
    expect(lines[0]).toContain("Fix: mark yara-orm external in the bundler");
  });
});
