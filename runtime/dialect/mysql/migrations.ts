/**
 * Migrations on MySQL/MariaDB are refused before any of these hooks is reached
 * (Dialect.supports.transactionalDdl is false, runtime/migrations/executor.ts): every DDL
 * statement commits on its own there, so a failed migration could not be rolled back. Should a
 * caller reach a hook anyway, it fails with the same NotSupportedError.
 */
import { NotSupportedError } from "../../errors.js";

export function refuseMigration(): never {
  throw new NotSupportedError(
    "migrations are not supported on MySQL: it commits every DDL statement on its own, " +
      "so a failed migration could not be rolled back. Create tables with YaraOrm.generateSchemas()",
    "mysql",
  );
}
