/** MySQL/MariaDB as one Dialect: the pieces of this folder behind the interface of dialect.ts. */
import type { Dialect } from "../dialect.js";
import { MysqlCompiler } from "./compiler.js";
import { mysqlDdl } from "./ddl.js";
import { explainMysql } from "./explain.js";
import { refuseMigration } from "./migrations.js";
import { storeMysql } from "./store.js";

/** What the compiler asks of its dialect, too. */
const traits = {
  name: "mysql",
  supports: {
    distinctOn: false,
    rowLocks: true,
    comments: false,
    isolationLevels: true,
    deferrable: false,
    insertReturning: true,
    lockingBehaviors: false,
    transactionalDdl: false,
  },
  store: storeMysql,
} as const;

export const mysql: Dialect = {
  ...traits,
  title: "MySQL",
  // A prepared statement's parameter count is 16-bit.
  maxParams: 65_535,
  maxIdentifierLength: 64,
  compiler: new MysqlCompiler(traits),
  jsDriver: "mysql2",
  nativeEngine: false,
  untypedBigints: false,
  ddl: mysqlDdl,
  migrations: {
    changeTable: refuseMigration,
    renameJoinTable: refuseMigration,
    lockSql: undefined,
    appliedAtType: "DATETIME(6)",
    appliedAtText: `DATE_FORMAT("applied_at", '%Y-%m-%dT%H:%i:%s.%fZ')`,
    now: "UTC_TIMESTAMP(6)",
    tableExistsSql:
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
    rebuildsTables: false,
    foreignKeyCheckSql: undefined,
  },
  cells: { storageValues: true },
  explain: explainMysql,
};
