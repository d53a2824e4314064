/**
 * SQLite reports a foreign-key violation as just "FOREIGN KEY constraint failed": no constraint,
 * table or column. Postgres names them, and api.md promises both databases do. So when a write
 * fails that way, the statement is run again inside a savepoint with foreign keys deferred,
 * `pragma_foreign_key_check` names the row and key it left dangling, and the savepoint is rolled
 * back: nothing of the second run remains. Only the failing statement pays for this.
 *
 * The fields then match what Postgres reports: `table` is the referencing table, `constraint`
 * the name yara's DDL gave its key (`books_author_id_fkey`), and `column` the key column of the
 * row written (`author_id`) — or, when a DELETE or UPDATE left rows pointing at a missing
 * parent, the parent's referenced column (`id`), as Postgres' "Key (id)=… is still referenced".
 */
import { constraintIdentifier } from "../dialect/constraint-name.js";
import { IntegrityError } from "../errors.js";
import type { Param, QueryOptions, Result } from "./driver.js";

export interface SqliteRunner {
  runQuery(sql: string, params: readonly Param[], options?: QueryOptions): Result;
  runExecute(sql: string, params: readonly Param[]): { rowCount: number };
}

/** `INSERT INTO "t"`, `UPDATE "t"`, `DELETE FROM "t"`: the statements yara writes rows with. */
const WRITE = /^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"((?:[^"]|"")+)"/i;

interface Dangling {
  readonly table: string;
  readonly column: string | undefined;
  readonly parentColumn: string | undefined;
}

/** `err` with constraint, table and column filled in when it is an unnamed foreign-key failure. */
export function explainForeignKey(
  err: unknown,
  runner: SqliteRunner,
  sql: string,
  params: readonly Param[],
): unknown {
  if (!(err instanceof IntegrityError) || err.kind !== "foreign_key" || err.table !== undefined)
    return err;
  const match = WRITE.exec(sql);
  if (!match) return err;
  const verb = match[1]!.toUpperCase().charAt(0);
  const table = match[2]!.replace(/""/g, '"');
  let found: Dangling | undefined;
  try {
    found = dangling(runner, verb, table, sql, params);
  } catch {
    return err; // the diagnosis is a courtesy: the original error stands
  }
  if (!found) return err;
  const { table: child, column, parentColumn } = found;
  return new IntegrityError(err.message, {
    kind: err.kind,
    code: err.code,
    constraint: column === undefined ? undefined : constraintIdentifier(child, [column], "fkey"),
    table: child,
    column: verb === "I" || child === table ? column : (parentColumn ?? column),
    cause: err.cause ?? err,
  });
}

function dangling(
  runner: SqliteRunner,
  verb: string,
  table: string,
  sql: string,
  params: readonly Param[],
): Dangling | undefined {
  runner.runExecute("SAVEPOINT yara_fk_check", []);
  try {
    runner.runExecute("PRAGMA defer_foreign_keys = ON", []);
    if (/\bRETURNING\b/i.test(sql)) runner.runQuery(sql, params);
    else runner.runExecute(sql, params);
    // An INSERT leaves its own rows dangling; a DELETE leaves rows of the tables pointing at it;
    // an UPDATE either.
    const tables =
      verb === "I" ? [table] : [...(verb === "U" ? [table] : []), ...children(runner, table)];
    for (const t of tables) {
      const check = runner.runQuery(
        `SELECT "table", "fkid" FROM pragma_foreign_key_check(?) LIMIT 1`,
        [t],
      );
      if (check.rowCount === 0) continue;
      const child = check.reader.text(0, 0);
      const keys = runner.runQuery(
        `SELECT "from", "to" FROM pragma_foreign_key_list(?) WHERE "id" = ? ORDER BY "seq" LIMIT 1`,
        [child, check.reader.int(1, 0)],
      );
      if (keys.rowCount === 0) return { table: child, column: undefined, parentColumn: undefined };
      const to = keys.reader.isNull(1, 0) ? undefined : keys.reader.text(1, 0);
      return { table: child, column: keys.reader.text(0, 0), parentColumn: to };
    }
    return undefined;
  } finally {
    runner.runExecute("ROLLBACK TO yara_fk_check", []);
    runner.runExecute("RELEASE yara_fk_check", []);
    runner.runExecute("PRAGMA defer_foreign_keys = OFF", []);
  }
}

/** Tables with a foreign key to `table`. */
function children(runner: SqliteRunner, table: string): string[] {
  const result = runner.runQuery(
    `SELECT DISTINCT m."name" FROM sqlite_schema AS m, pragma_foreign_key_list(m."name") AS k ` +
      `WHERE m."type" = 'table' AND k."table" = ?`,
    [table],
  );
  const out: string[] = [];
  for (let i = 0; i < result.rowCount; i++) out.push(result.reader.text(0, i));
  return out;
}
