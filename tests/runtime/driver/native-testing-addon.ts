/**
 * The native test addon: the engine built with `--features testing`, whose test-only exports
 * (native/src/napi/testing.rs) the production addon does not have. `node native/build.mjs
 * --testing` builds it; after `cargo test --features testing` (as .ci/run runs it) that only
 * copies the library cargo already linked. Loading it builds it first when cargo is available,
 * so a test never runs against a stale one; without cargo it must already exist.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EncodedResult } from "../../../runtime/driver/native/reader.js";

/** Exports for tests of the Node-API layer (native/src/napi/testing.rs). */
export interface NativeTestingExports {
  testPanic(): never;
  testParams(params: readonly unknown[]): string[];
  testError(): never;
  testResolveLater(ms: number, value: number, reject?: boolean, drop?: boolean): Promise<number>;
  testEncode(
    columns: readonly string[],
    rows: readonly (readonly (readonly [kind: string, value: unknown])[])[],
  ): EncodedResult;
}

export const TESTING_ADDON_PATH = fileURLToPath(
  new URL("../../../native/target/yara_native_testing.node", import.meta.url),
);
const BUILD_SCRIPT = fileURLToPath(new URL("../../../native/build.mjs", import.meta.url));

let loaded: NativeTestingExports | undefined;

/** Builds (when cargo is here) and loads the test addon; throws, never skips, when it cannot. */
export function loadTestingAddon(): NativeTestingExports {
  if (loaded !== undefined) return loaded;
  const cargo = spawnSync(process.env.CARGO ?? "cargo", ["--version"], { encoding: "utf8" });
  if (cargo.error === undefined && cargo.status === 0) {
    const build = spawnSync(process.execPath, [BUILD_SCRIPT, "--testing"], { encoding: "utf8" });
    if (build.status !== 0) {
      throw new Error(`node native/build.mjs --testing failed:\n${build.stdout}${build.stderr}`);
    }
  }
  if (!existsSync(TESTING_ADDON_PATH)) {
    throw new Error(
      `the native test addon ${TESTING_ADDON_PATH} is missing: run \`node native/build.mjs --testing\``,
    );
  }
  const module = { exports: {} as NativeTestingExports };
  process.dlopen(module, TESTING_ADDON_PATH);
  loaded = module.exports;
  return loaded;
}
