/** Postgres as one Dialect: the pieces of this folder behind the interface of dialect.ts. */
import type { Dialect } from "../dialect.js";
import { alterTablePostgres } from "./alter-table.js";
import { PostgresCompiler } from "./compiler.js";
import { postgresDdl } from "./ddl.js";
import { explainPostgres } from "./explain.js";
import { renameJoinTablePostgres } from "./rename-join-table.js";
import { storePostgres } from "./store.js";

/** What the compiler asks of its dialect, too. */
const traits = {
  name: "postgres",
  supports: {
    distinctOn: true,
    rowLocks: true,
    comments: true,
    isolationLevels: true,
    deferrable: true,
    insertReturning: true,
    lockingBehaviors: false,
    transactionalDdl: true,
  },
  store: storePostgres,
} as const;

export const postgres: Dialect = {
  ...traits,
  title: "Postgres",
  maxParams: 65_535,
  maxIdentifierLength: 63,
  compiler: new PostgresCompiler(traits),
  jsDriver: "pg",
  nativeEngine: true,
  untypedBigints: false,
  ddl: postgresDdl,
  migrations: {
    changeTable: (change, before, after) => alterTablePostgres(change, before, after, postgres),
    renameJoinTable: (_model, relation, from) => renameJoinTablePostgres(from, relation.through!),
    // Transaction-scoped, keyed by the schema: databases sharing a server do not wait on each other.
    lockSql: "SELECT pg_advisory_xact_lock(2024061201, hashtext(current_schema()))",
    appliedAtType: "TIMESTAMPTZ",
    appliedAtText: `to_char("applied_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    now: "now()",
    tableExistsSql:
      "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
    rebuildsTables: false,
    foreignKeyCheckSql: undefined,
  },
  cells: { storageValues: false },
  explain: explainPostgres,
};
