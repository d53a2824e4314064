/**
 * One SQLite library per database file per process. SQLite's locks are POSIX advisory locks,
 * which belong to the process: when one copy of the SQLite library closes a descriptor of a
 * file, the process loses every lock it held on that file, those another copy took included
 * (sqlite.org/howtocorrupt.html, "multiple copies of SQLite linked into the same application").
 * The native engine and better-sqlite3 each carry their own copy, so a file open through both
 * could have its write transaction's lock dropped and a second process write beside it.
 *
 * Each SQLite driver claims its file before opening it and releases the claim after closing;
 * a claim on a file the other library holds is a ConfigurationError. Before its first claim on a
 * file, the native engine also looks for descriptors of the file this process has open already
 * (Linux's /proc/self/fd): better-sqlite3 used directly by the app is a second copy too.
 */
import { readdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigurationError } from "../errors.js";

export type SqliteLibrary = "native" | "better-sqlite3";

interface Claim {
  readonly library: SqliteLibrary;
  count: number;
}

/** Shared by every copy of yara loaded in the process: the locks are the process's. */
const CLAIMS_KEY = Symbol.for("yara.sqliteFileClaims");
const claims: Map<string, Claim> = ((globalThis as Record<symbol, unknown>)[CLAIMS_KEY] ??= new Map<
  string,
  Claim
>()) as Map<string, Claim>;

const DRIVER_OPTION: Record<SqliteLibrary, string> = {
  native: '{ driver: "native" }',
  "better-sqlite3": '{ driver: "better-sqlite3" }',
};

/**
 * Claims `filename` (":memory:" or an absolute path) for `library`; returns the release, to call
 * once the connection is closed. Throws a ConfigurationError when the other library holds it.
 */
export function claimSqliteFile(filename: string, library: SqliteLibrary): () => void {
  if (filename === ":memory:" || filename === "") return () => {};
  const path = canonicalPath(filename);
  const held = claims.get(path);
  if (held !== undefined && held.library !== library)
    throw new ConfigurationError(
      `the SQLite database "${filename}" is open through ${held.library} in this process, and ` +
        `${library} carries another copy of SQLite: closing a file in one copy drops the other's ` +
        `locks, so another process could write during a transaction. Open every connection to ` +
        `this file with one driver (${DRIVER_OPTION[held.library]})`,
    );
  if (held === undefined && library === "native") refuseOtherOpeners(filename, path);
  const claim = held ?? { library, count: 0 };
  claim.count++;
  claims.set(path, claim);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--claim.count === 0) claims.delete(path);
  };
}

/** The file's path with symbolic links resolved (its folder's, when it does not exist yet). */
function canonicalPath(filename: string): string {
  try {
    return realpathSync(filename);
  } catch {
    try {
      return join(realpathSync(dirname(filename)), basename(filename));
    } catch {
      return filename; // SQLite reports the missing folder when it opens
    }
  }
}

/**
 * Refuses when this process holds a descriptor of the database, its journal or its WAL that no
 * yara connection opened: another SQLite copy (better-sqlite3 used directly, say). Where
 * /proc/self/fd cannot be read (not Linux), nothing is checked.
 */
function refuseOtherOpeners(filename: string, path: string): void {
  const files = new Set([path, `${path}-wal`, `${path}-journal`, `${path}-shm`]);
  let fds: string[];
  try {
    fds = readdirSync("/proc/self/fd");
  } catch {
    return;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed since the listing
    }
    if (files.has(target))
      throw new ConfigurationError(
        `the SQLite database "${filename}" is already open in this process outside yara's native ` +
          `engine (better-sqlite3 used directly, say), which carries another copy of SQLite: ` +
          `closing a file in one copy drops the other's locks, so another process could write ` +
          `during a transaction. Use yara's better-sqlite3 driver for this file ` +
          `(${DRIVER_OPTION["better-sqlite3"]}), or close the other connection first`,
      );
  }
}
