/** The version of this runtime: package.json's `version` (tests/runtime/version.test.ts keeps them equal). */
export const RUNTIME_VERSION = "0.1.0";
