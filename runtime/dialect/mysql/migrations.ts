/**
 * Migrations on MySQL/MariaDB are refused (Dialect.supports.migrations is false): every DDL
 * statement commits on its own there, so a migration that fails halfway could not be rolled
 * back and would leave the schema between two versions. These hooks are never reached; they
 * fail with the same NotSupportedError should a caller skip the check.
 */
import { NotSupportedError } from "../../errors.js";

export const MYSQL_MIGRATIONS_REFUSAL =
  "migrations are not supported on MySQL/MariaDB: MySQL commits every DDL statement on its own, " +
  "so a failed migration could not be rolled back. Create tables with YaraOrm.generateSchemas()";

export function refuseMigration(): never {
  throw new NotSupportedError(MYSQL_MIGRATIONS_REFUSAL, "mysql");
}
