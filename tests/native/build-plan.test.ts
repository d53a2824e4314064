/**
 * native/build.mjs's decisions (native/build-plan.mjs), from the facts of the machine: an
 * installed copy builds nothing; a checkout builds — installing Debian's crate sources first
 * where it is root with apt-get — or stops with the command to run, never falling back to the
 * JavaScript drivers unless YARA_SKIP_NATIVE=1 says so. And the facts' own parsers.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  RUSTUP_COMMAND,
  isCheckout,
  missingPackages,
  parsePackageList,
  planBuild,
  type BuildFacts,
} from "../../native/build-plan.mjs";

const LISTED = parsePackageList(
  readFileSync(new URL("../../native/debian-packages.txt", import.meta.url), "utf8"),
);

/** A fresh machine of the CI's kind: Debian, root, apt-get, cargo, no crate sources yet. */
const FRESH: BuildFacts = {
  checkout: true,
  testing: false,
  required: false,
  skip: false,
  cargo: true,
  debianRegistry: false,
  missingDebianPackages: LISTED,
  root: true,
  aptGet: true,
};

describe("an installed copy of yara-orm", () => {
  it("builds nothing, whatever the machine has", () => {
    for (const facts of [
      { ...FRESH, checkout: false },
      { ...FRESH, checkout: false, cargo: false, required: true },
    ]) {
      expect(planBuild(facts)).toEqual({
        action: "skip",
        exitCode: 0,
        message: expect.stringMatching(/^yara: installed package: nothing to build/),
      });
    }
  });

  it("builds the test addon when asked to (--testing is CI's, in a checkout)", () => {
    expect(planBuild({ ...FRESH, checkout: false, testing: true }).action).toBe("build");
  });
});

describe("a checkout", () => {
  it("on a fresh Debian machine as root: installs the missing crate sources, then builds offline", () => {
    const missing = ["librust-tokio-postgres-dev", "librust-rusqlite-dev"];
    expect(planBuild({ ...FRESH, missingDebianPackages: missing })).toEqual({
      action: "build",
      install: missing,
      offline: true,
      onFailure: expect.stringMatching(/^the offline build uses \/usr\/share\/cargo\/registry/),
    });
  });

  it("with the crate sources installed: builds offline, installs nothing", () => {
    expect(planBuild({ ...FRESH, debianRegistry: true, missingDebianPackages: [] })).toMatchObject({
      action: "build",
      install: [],
      offline: true,
    });
  });

  it("not root on Debian: tries the crates registry, and names the sudo apt-get command if that fails", () => {
    const plan = planBuild({ ...FRESH, root: false });
    expect(plan).toEqual({
      action: "build",
      install: [],
      offline: false,
      onFailure:
        "without the crates registry, install Debian's crate sources: sudo apt-get update && " +
        `sudo apt-get install -y --no-install-recommends ${LISTED.join(" ")}`,
    });
  });

  it("off Debian (no dpkg): builds from the crates registry", () => {
    expect(
      planBuild({ ...FRESH, missingDebianPackages: undefined, aptGet: false, root: false }),
    ).toEqual({
      action: "build",
      install: [],
      offline: false,
      onFailure: "check that the crates registry (crates.io) is reachable",
    });
  });

  it("without cargo: stops with the rustup command, and the apt-get one where the sources are missing", () => {
    const plan = planBuild({ ...FRESH, cargo: false });
    expect(plan.action).toBe("stop");
    expect(plan).toMatchObject({ exitCode: 1 });
    const message = (plan as { message: string }).message;
    expect(message).toContain("`cargo` was not found on PATH");
    expect(message).toContain(RUSTUP_COMMAND);
    expect(message).toContain(
      `first: apt-get update && apt-get install -y --no-install-recommends ${LISTED.join(" ")}`,
    );
    expect(message).toMatch(/YARA_SKIP_NATIVE=1\.$/);
    const elsewhere = planBuild({ ...FRESH, cargo: false, missingDebianPackages: undefined });
    expect((elsewhere as { message: string }).message).not.toContain("apt-get");
  });

  it("goes on without the engine only when YARA_SKIP_NATIVE=1 says so, and never under YARA_REQUIRE_NATIVE=1", () => {
    expect(planBuild({ ...FRESH, cargo: false, skip: true })).toEqual({
      action: "skip",
      exitCode: 0,
      message: expect.stringMatching(/^yara: YARA_SKIP_NATIVE=1: native engine not built/),
    });
    expect(planBuild({ ...FRESH, cargo: false, skip: true, required: true }).action).toBe("stop");
    expect(planBuild({ ...FRESH, skip: true, testing: true }).action).toBe("build");
  });
});

describe("the facts", () => {
  it("a checkout is outside node_modules with a .git or the sources", () => {
    expect(isCheckout({ root: "/home/me/yara", hasGit: true, hasSources: true })).toBe(true);
    expect(isCheckout({ root: "/home/me/yara", hasGit: false, hasSources: true })).toBe(true);
    expect(isCheckout({ root: "/work/wt/engine", hasGit: true, hasSources: false })).toBe(true);
    expect(
      isCheckout({ root: "/app/node_modules/yara-orm", hasGit: false, hasSources: false }),
    ).toBe(false);
    expect(isCheckout({ root: "/app/node_modules/yara-orm", hasGit: true, hasSources: true })).toBe(
      false,
    );
    expect(isCheckout({ root: "/tmp/yara-orm", hasGit: false, hasSources: false })).toBe(false);
  });

  it("reads the package list without comments and blank lines", () => {
    expect(parsePackageList("# crate sources\npkg-config\n\n  librust-url-dev  # url\n")).toEqual([
      "pkg-config",
      "librust-url-dev",
    ]);
    expect(LISTED).toContain("librust-tokio-postgres-dev");
    expect(LISTED.every((p) => /^[a-z0-9][a-z0-9.+-]+$/.test(p))).toBe(true);
  });

  it("a package is missing unless dpkg-query reports it installed (ii)", () => {
    const output = "pkg-config ii \nlibssl-dev:amd64 ii \nlibsqlite3-dev rc \n";
    expect(
      missingPackages(["pkg-config", "libssl-dev", "libsqlite3-dev", "librust-url-dev"], output),
    ).toEqual(["libsqlite3-dev", "librust-url-dev"]);
  });
});
