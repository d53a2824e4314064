/** Types of build-plan.mjs (plain JavaScript: build.mjs runs before anything is compiled). */

export interface BuildFacts {
  /** A checkout of this repository (not an installed copy inside node_modules). */
  readonly checkout: boolean;
  /** `--testing`: the test addon, for CI after `cargo test`. */
  readonly testing: boolean;
  /** YARA_REQUIRE_NATIVE=1. */
  readonly required: boolean;
  /** YARA_SKIP_NATIVE=1. */
  readonly skip: boolean;
  /** `cargo --version` answers. */
  readonly cargo: boolean;
  /** /usr/share/cargo/registry exists. */
  readonly debianRegistry: boolean;
  /** Packages of debian-packages.txt dpkg does not have installed; undefined without dpkg. */
  readonly missingDebianPackages: readonly string[] | undefined;
  /** Running as root. */
  readonly root: boolean;
  /** `apt-get` is on the PATH. */
  readonly aptGet: boolean;
}

export type BuildPlan =
  | { readonly action: "skip"; readonly exitCode: 0; readonly message: string }
  | { readonly action: "stop"; readonly exitCode: 1; readonly message: string }
  | {
      readonly action: "build";
      /** Debian packages to install with apt-get first. */
      readonly install: readonly string[];
      /** Build against /usr/share/cargo/registry, without the crates registry. */
      readonly offline: boolean;
      /** What to tell when the build fails. */
      readonly onFailure: string;
    };

export declare const RUSTUP_COMMAND: string;
export declare function planBuild(facts: BuildFacts): BuildPlan;
export declare function isCheckout(facts: {
  readonly root: string;
  readonly hasGit: boolean;
  readonly hasSources: boolean;
}): boolean;
export declare function parsePackageList(text: string): string[];
export declare function missingPackages(listed: readonly string[], dpkgOutput: string): string[];
