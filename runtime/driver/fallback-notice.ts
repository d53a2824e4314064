/**
 * The one line `YaraOrm.init` writes when it uses a JavaScript driver although the native
 * engine was expected (no `driver` option, and the engine is missing or does not load). npm
 * hides install output, so this is where an app learns that the engine did not make it: the
 * reason and the fix, once per process. Asking for the driver (`driver: "pg"` /
 * `"better-sqlite3"`) is choosing it, and says nothing.
 */
import type { NativeEngineStatus } from "./native/addon.js";

let said = false;

/** The notice for falling back to `driver` because of `status`. */
export function fallbackNotice(
  driver: "pg" | "better-sqlite3",
  status: NativeEngineStatus,
): string {
  return (
    `yara: native engine not loaded (${status.problem ?? "unknown reason"}); using ${driver} instead. ` +
    `Fix: ${status.fix ?? "see `yara-gen doctor`"}; or pass { driver: "${driver}" } to YaraOrm.init to choose ${driver} without this notice`
  );
}

/** Writes the notice to stderr the first time; later fallbacks in the process say nothing. */
export function announceFallback(
  driver: "pg" | "better-sqlite3",
  status: NativeEngineStatus,
): void {
  if (said) return;
  said = true;
  console.warn(fallbackNotice(driver, status));
}
