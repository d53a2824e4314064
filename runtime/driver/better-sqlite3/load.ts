/**
 * better-sqlite3 is an optional peer dependency, imported only when a SQLite database is opened
 * with this driver, so Postgres users never need its native build.
 */
import type BetterSqlite3 from "better-sqlite3";
import { ConfigurationError } from "../../errors.js";

export type BetterSqliteDatabase = BetterSqlite3.Database;
export type BetterSqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;
type DatabaseConstructor = typeof BetterSqlite3;

let loaded: Promise<DatabaseConstructor> | undefined;

export function loadBetterSqlite3(): Promise<DatabaseConstructor> {
  loaded ??= import("better-sqlite3").then(
    (mod: { default: DatabaseConstructor }) => mod.default,
    (err: unknown) => {
      loaded = undefined;
      throw missing(err);
    },
  );
  return loaded;
}

function missing(err: unknown): ConfigurationError {
  const notInstalled = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND";
  const message = notInstalled
    ? 'the "better-sqlite3" driver needs the better-sqlite3 package: run `npm install better-sqlite3`'
    : "better-sqlite3 is installed but its native binding could not be loaded " +
      '(allow its install script, e.g. "allowScripts": { "better-sqlite3": true }, then `npm rebuild better-sqlite3`)';
  return new ConfigurationError(message, { cause: err });
}
