/** SQLite as one Dialect: the pieces of this folder behind the interface of dialect.ts. */
import type { Dialect } from "../dialect.js";
import { SqliteCompiler } from "./compiler.js";
import { sqliteDdl } from "./ddl.js";
import { explainSqlite } from "./explain.js";
import { rebuildTableSqlite } from "./rebuild-table.js";
import { renameJoinTableSqlite } from "./rename-join-table.js";
import { storeSqlite } from "./store.js";

/** What the compiler asks of its dialect, too. */
const traits = {
  name: "sqlite",
  supports: {
    distinctOn: false,
    rowLocks: false,
    comments: false,
    isolationLevels: false,
    deferrable: false,
    insertReturning: true,
    lockingBehaviors: true,
    transactionalDdl: true,
  },
  store: storeSqlite,
} as const;

export const sqlite: Dialect = {
  ...traits,
  title: "SQLite",
  // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32.
  maxParams: 32_766,
  // No limit of its own; constraint names stay within Postgres' 63 (constraint-name.ts).
  maxIdentifierLength: Number.POSITIVE_INFINITY,
  compiler: new SqliteCompiler(traits),
  jsDriver: "better-sqlite3",
  nativeEngine: true,
  untypedBigints: true,
  ddl: sqliteDdl,
  migrations: {
    changeTable: (change, _before, after) => rebuildTableSqlite(change, after, sqlite),
    renameJoinTable: (model, relation, from, after) =>
      renameJoinTableSqlite(model, relation, from, relation.through!, after, sqlite),
    // BEGIN IMMEDIATE, which every SQLite driver's transaction is, already serializes migrations.
    lockSql: undefined,
    appliedAtType: "TEXT",
    appliedAtText: `"applied_at"`,
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    tableExistsSql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    rebuildsTables: true,
    foreignKeyCheckSql: "PRAGMA foreign_key_check",
  },
  cells: { storageValues: true },
  explain: explainSqlite,
};
