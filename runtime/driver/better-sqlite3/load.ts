/**
 * better-sqlite3 is an optional peer dependency, imported only when a SQLite database is opened
 * with this driver, so Postgres users never need its native build. Loading it includes loading
 * its binding, so "not installed" and "installed without its binding" are told apart here.
 */
import type BetterSqlite3 from "better-sqlite3";
import { ConfigurationError } from "../../errors.js";

export type BetterSqliteDatabase = BetterSqlite3.Database;
export type BetterSqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;
type DatabaseConstructor = typeof BetterSqlite3;

let loaded: Promise<DatabaseConstructor> | undefined;

export function loadBetterSqlite3(): Promise<DatabaseConstructor> {
  loaded ??= import("better-sqlite3")
    .then((mod: { default: DatabaseConstructor }) => {
      // better-sqlite3 loads its binding at the first `new Database`: opening one here makes
      // a missing binding this error, not a failure to open the app's database file.
      new mod.default(":memory:").close();
      return mod.default;
    })
    .catch((err: unknown) => {
      loaded = undefined;
      throw missing(err);
    });
  return loaded;
}

function missing(err: unknown): ConfigurationError {
  const { problem, fix } = betterSqlite3Problem(err);
  const notInstalled = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND";
  const message = notInstalled
    ? `the "better-sqlite3" driver needs the better-sqlite3 package: ${fix}`
    : `${problem} (${fix})`;
  return new ConfigurationError(message, { cause: err });
}

/** Why importing better-sqlite3 failed with `err`, and what to do about it, one clause each. */
export function betterSqlite3Problem(err: unknown): { problem: string; fix: string } {
  if ((err as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
    return { problem: "better-sqlite3 is not installed", fix: "run `npm install better-sqlite3`" };
  }
  return {
    problem: "better-sqlite3 is installed but its native binding could not be loaded",
    fix: 'allow its install script, e.g. "allowScripts": { "better-sqlite3": true }, then run `npm rebuild better-sqlite3`',
  };
}
