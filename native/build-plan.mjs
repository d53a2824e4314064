/**
 * What `node native/build.mjs` does, decided from the facts of the machine it runs on (a pure
 * function; build.mjs gathers the facts and carries the plan out; tests/native/build-plan.test.ts
 * covers every branch).
 *
 * - An installed copy of yara-orm (inside node_modules, or without this repository's sources)
 *   builds nothing: the engine comes prebuilt in its platform package.
 * - A checkout of this repository gets the engine or stops saying how: it never leaves the
 *   JavaScript drivers in place silently. `YARA_SKIP_NATIVE=1` is the one way to go on without
 *   it (ignored under YARA_REQUIRE_NATIVE=1 and --testing).
 * - Without the crates registry (the machines this repository's CI runs on), cargo builds
 *   offline from Debian's crate sources: when the packages of native/debian-packages.txt are
 *   missing, a root with apt-get installs them first; anyone else builds from the registry and,
 *   if that fails, is told the apt-get command.
 */

export const RUSTUP_COMMAND =
  "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"$HOME/.cargo/env\"";

const OFFLINE_FAILURE =
  "the offline build uses /usr/share/cargo/registry, whose crates may be too old or too few " +
  "for native/Cargo.toml";

/**
 * @param {import("./build-plan.d.mts").BuildFacts} f
 * @returns {import("./build-plan.d.mts").BuildPlan}
 */
export function planBuild(f) {
  if (!f.checkout && !f.testing) {
    return {
      action: "skip",
      exitCode: 0,
      message:
        "yara: installed package: nothing to build (the engine comes prebuilt in its platform " +
        "package @yara-orm/engine-<platform>; `npx yara-gen doctor` shows what loads)",
    };
  }
  if (f.skip && !f.required && !f.testing) {
    return {
      action: "skip",
      exitCode: 0,
      message:
        "yara: YARA_SKIP_NATIVE=1: native engine not built; yara uses the pg / better-sqlite3 " +
        "drivers (YaraOrm.init says so once per process)",
    };
  }
  const aptCommand = (packages) =>
    `${f.root ? "" : "sudo "}apt-get update && ${f.root ? "" : "sudo "}apt-get install -y ` +
    `--no-install-recommends ${packages.join(" ")}`;
  if (!f.cargo) {
    return {
      action: "stop",
      exitCode: 1,
      message:
        "yara: cannot build the native engine: `cargo` was not found on PATH. Install Rust: " +
        `${RUSTUP_COMMAND}, then run \`node native/build.mjs\`` +
        (f.missingDebianPackages !== undefined && f.missingDebianPackages.length > 0
          ? ` (without access to the crates registry, first: ${aptCommand(f.missingDebianPackages)})`
          : "") +
        ". To use the pg / better-sqlite3 drivers instead, set YARA_SKIP_NATIVE=1.",
    };
  }
  const missing = f.missingDebianPackages;
  if (missing !== undefined && missing.length > 0) {
    if (f.root && f.aptGet) {
      return { action: "build", install: missing, offline: true, onFailure: OFFLINE_FAILURE };
    }
    // Not ours to install: try the crates registry, and name the packages if that fails.
    return {
      action: "build",
      install: [],
      offline: false,
      onFailure: f.aptGet
        ? `without the crates registry, install Debian's crate sources: ${aptCommand(missing)}`
        : "check that the crates registry (crates.io) is reachable",
    };
  }
  const offline = f.debianRegistry;
  return {
    action: "build",
    install: [],
    offline,
    onFailure: offline
      ? OFFLINE_FAILURE
      : "check that the crates registry (crates.io) is reachable",
  };
}

/** Whether the package at `root` is a checkout of this repository rather than an installed copy. */
export function isCheckout({ root, hasGit, hasSources }) {
  const inNodeModules = root.split(/[\\/]/).includes("node_modules");
  return !inNodeModules && (hasGit || hasSources);
}

/** The package names of native/debian-packages.txt's text. */
export function parsePackageList(text) {
  return text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "");
}

/**
 * The listed packages `dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' …` does not report as
 * installed ("ii").
 */
export function missingPackages(listed, dpkgOutput) {
  const installed = new Set(
    dpkgOutput
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter(([, status]) => status === "ii")
      .map(([name]) => (name ?? "").replace(/:.*/, "")),
  );
  return listed.filter((p) => !installed.has(p));
}
