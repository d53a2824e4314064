/**
 * Where the native engine is looked for, in order: YARA_NATIVE_ADDON alone when set, else the
 * platform package (resolved from the runtime's location), else a local build; and what the
 * status says when none loads. A temporary app with a fake platform package stands in for an
 * install; any Node addon serves as "an addon that loads" (better-sqlite3's, which every dev
 * install has), a file of garbage as one that does not.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  defaultEngineSearch,
  loadNativeEngine,
  type EngineSearch,
} from "../../../runtime/driver/native/addon.js";
import {
  enginePackageName,
  platformTriple,
  type PlatformFacts,
} from "../../../runtime/driver/native/platform.js";

const LINUX: PlatformFacts = { platform: "linux", arch: "x64", libc: "gnu" };
const PKG = "@yara-orm/engine-linux-x64-gnu";
const REAL_ADDON = join(
  dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json")),
  "build",
  "Release",
  "better_sqlite3.node",
);

const root = mkdtempSync(join(tmpdir(), "yara-loader-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let count = 0;
beforeEach(() => {
  dir = join(root, String(++count));
  mkdirSync(join(dir, "app"), { recursive: true });
});

/** The app's file the platform package is resolved from, as the runtime's would be. */
const app = (): string => join(dir, "app", "index.js");
const packageDir = (): string => join(dir, "app", "node_modules", ...PKG.split("/"));

function installPackage(addon: "real" | "broken" | "none"): string {
  mkdirSync(packageDir(), { recursive: true });
  writeFileSync(
    join(packageDir(), "package.json"),
    JSON.stringify({ name: PKG, version: "0.1.0", main: "yara_native.node" }),
  );
  const file = join(packageDir(), "yara_native.node");
  if (addon === "real") copyFileSync(REAL_ADDON, file);
  if (addon === "broken") writeFileSync(file, "not an ELF file");
  return file;
}

/** A local build at `native/<name>` in the temporary directory. */
function localBuild(name: string, addon: "real" | "broken" | "none"): string {
  const file = join(dir, "native", name);
  mkdirSync(dirname(file), { recursive: true });
  if (addon === "real") copyFileSync(REAL_ADDON, file);
  if (addon === "broken") writeFileSync(file, "not an ELF file");
  return file;
}

function search(overrides: Partial<EngineSearch> = {}): EngineSearch {
  return {
    override: undefined,
    resolveFrom: app(),
    platform: LINUX,
    localBuilds: [],
    bundledInto: undefined,
    ...overrides,
  };
}

describe("the native engine's load order", () => {
  it("takes the platform package before a local build", () => {
    const pkgFile = installPackage("real");
    const local = localBuild("a.node", "real");
    const { addon, status } = loadNativeEngine(search({ localBuilds: [local] }));
    expect(addon).toBeDefined();
    expect(status).toEqual({
      loaded: true,
      source: "platform-package",
      path: pkgFile,
      tried: [`${PKG} (${pkgFile}): loaded`],
    });
  });

  it("takes the first local build that exists when the platform package is not installed", () => {
    const missing = localBuild("missing.node", "none");
    const local = localBuild("b.node", "real");
    const { addon, status } = loadNativeEngine(search({ localBuilds: [missing, local] }));
    expect(addon).toBeDefined();
    expect(status).toEqual({
      loaded: true,
      source: "local-build",
      path: local,
      tried: [`${PKG}: not installed`, `${missing}: not built`, `${local}: loaded`],
    });
  });

  it("goes on to a local build when the platform package fails to load, and records why", () => {
    const pkgFile = installPackage("broken");
    const local = localBuild("c.node", "real");
    const { status } = loadNativeEngine(search({ localBuilds: [local] }));
    expect(status.source).toBe("local-build");
    expect(status.tried[0]).toMatch(
      new RegExp(`^${PKG} \\(${pkgFile}\\): failed to load: .*(invalid ELF header|too short)`),
    );
  });

  it("reports a platform package that fails to load, with the dlopen message and the fix", () => {
    const pkgFile = installPackage("broken");
    const { addon, status } = loadNativeEngine(
      search({ localBuilds: [localBuild("d.node", "none")] }),
    );
    expect(addon).toBeUndefined();
    expect(status.loaded).toBe(false);
    expect(status.source).toBeNull();
    expect(status.path).toBe(pkgFile);
    expect(status.problem).toMatch(
      new RegExp(`^${pkgFile} failed to load: .*(invalid ELF header|too short)`),
    );
    expect(status.fix).toBe(`reinstall it: \`npm install ${PKG}\``);
  });

  it("says when the platform package is installed without its addon", () => {
    installPackage("none");
    const { status } = loadNativeEngine(search());
    expect(status.tried).toEqual([
      `${PKG}: installed at ${packageDir()} but its yara_native.node is missing`,
    ]);
  });

  it("says 'not installed' and names the package and the build command when nothing is there", () => {
    const local = localBuild("e.node", "none");
    const { status } = loadNativeEngine(search({ localBuilds: [local] }));
    expect(status).toEqual({
      loaded: false,
      source: null,
      problem: `not installed: ${PKG} is missing (optional dependencies omitted?) and there is no local build`,
      fix: `\`npm install ${PKG}\` (in a yara checkout: \`node native/build.mjs\`)`,
      tried: [`${PKG}: not installed`, `${local}: not built`],
    });
  });

  it("says 'platform not supported' where no package is published, and still takes a local build", () => {
    const aix: PlatformFacts = { platform: "aix", arch: "ppc64" };
    const none = loadNativeEngine(search({ platform: aix }));
    expect(none.status.problem).toBe(
      "platform not supported: no prebuilt engine for aix-ppc64, and no local build",
    );
    expect(none.status.tried).toEqual(["platform package: none published for aix-ppc64"]);
    const local = localBuild("f.node", "real");
    expect(loadNativeEngine(search({ platform: aix, localBuilds: [local] })).status.source).toBe(
      "local-build",
    );
  });

  it("says a bundled runtime should keep yara-orm external when nothing is found", () => {
    const bundle = join(dir, "app", "dist", "server.js");
    const { status } = loadNativeEngine(search({ resolveFrom: bundle, bundledInto: bundle }));
    expect(status.problem).toMatch(
      new RegExp(`^bundled: the runtime was bundled into ${bundle}, and no addon was found`),
    );
    expect(status.fix).toMatch(/^mark yara-orm external in the bundler/);
  });

  it("finds the platform package from a bundle that sits next to node_modules", () => {
    const pkgFile = installPackage("real");
    const bundle = join(dir, "app", "dist", "server.js");
    const { status } = loadNativeEngine(search({ resolveFrom: bundle, bundledInto: bundle }));
    expect(status).toMatchObject({ loaded: true, source: "platform-package", path: pkgFile });
  });
});

describe("YARA_NATIVE_ADDON", () => {
  it("wins over the platform package and local builds", () => {
    installPackage("real");
    const local = localBuild("g.node", "real");
    const { status } = loadNativeEngine(search({ override: REAL_ADDON, localBuilds: [local] }));
    expect(status).toEqual({
      loaded: true,
      source: "override",
      path: REAL_ADDON,
      tried: [`${REAL_ADDON} (YARA_NATIVE_ADDON): loaded`],
    });
  });

  it("is the only candidate: a missing file is the problem, with no fallthrough", () => {
    installPackage("real");
    const missing = join(dir, "nowhere.node");
    const { addon, status } = loadNativeEngine(search({ override: missing }));
    expect(addon).toBeUndefined();
    expect(status.problem).toBe(`YARA_NATIVE_ADDON names ${missing}, which does not exist`);
    expect(status.tried).toEqual([`${missing} (YARA_NATIVE_ADDON): no such file`]);
  });

  it("reports a file that does not load", () => {
    const broken = localBuild("h.node", "broken");
    const { status } = loadNativeEngine(search({ override: broken }));
    expect(status.path).toBe(broken);
    expect(status.problem).toMatch(
      new RegExp(
        `^${broken} \\(YARA_NATIVE_ADDON\\) failed to load: .*(invalid ELF header|too short)`,
      ),
    );
  });
});

describe("this process's search", () => {
  it("looks next to the sources and next to dist/, from the runtime's own file", () => {
    const repo = fileURLToPath(new URL("../../../", import.meta.url));
    const s = defaultEngineSearch({});
    expect(s.override).toBeUndefined();
    expect(s.bundledInto).toBeUndefined();
    expect(s.resolveFrom).toBe(join(repo, "runtime", "driver", "native", "addon.ts"));
    expect(s.localBuilds).toEqual([
      join(repo, "native", "yara_native.node"),
      join(repo, "..", "native", "yara_native.node"),
    ]);
    expect(defaultEngineSearch({ YARA_NATIVE_ADDON: "/x.node" }).override).toBe("/x.node");
    expect(defaultEngineSearch({ YARA_NATIVE_ADDON: "" }).override).toBeUndefined();
  });
});

describe("platform package names", () => {
  it.each([
    [{ platform: "linux", arch: "x64", libc: "gnu" }, "linux-x64-gnu", PKG],
    [
      { platform: "linux", arch: "arm64", libc: "musl" },
      "linux-arm64-musl",
      "@yara-orm/engine-linux-arm64-musl",
    ],
    [{ platform: "darwin", arch: "arm64" }, "darwin-arm64", "@yara-orm/engine-darwin-arm64"],
    [{ platform: "win32", arch: "x64" }, "win32-x64-msvc", "@yara-orm/engine-win32-x64-msvc"],
    [{ platform: "freebsd", arch: "x64" }, "freebsd-x64", undefined],
  ] as const)("%j → %s", (facts, triple, name) => {
    expect(platformTriple(facts)).toBe(triple);
    expect(enginePackageName(facts)).toBe(name);
  });
});
