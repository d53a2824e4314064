/**
 * INSERT … RETURNING statements by shape: the SQL depends only on the dialect, the fields set,
 * the number of rows and the ON CONFLICT clause (the table and RETURNING list are the model's),
 * so each shape is compiled once per model. Values are then encoded and bound row by row,
 * field by field: the order in which the compiler numbers them. A shape is remembered only when
 * that order reproduced the compiler's parameters exactly.
 */
import type { OnConflictClause } from "../ast/insert.js";
import type { CompiledQuery } from "../compiler/compiler.js";
import { encodeValue } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { buildInsert, type InsertOptions, type InsertRow } from "../query/insert.js";
import type { ModelMeta } from "./meta.js";

/** Most INSERT shapes kept per model (bulkCreate's last batch adds one per row count). */
const SHAPES_PER_MODEL = 64;

function conflictKey(clause: OnConflictClause | undefined): string {
  if (clause === undefined) return "";
  const set = clause.action === "update" ? clause.set.join(",") : "";
  return `${clause.action}(${clause.target.join(",")})(${set})`;
}

/** One model's INSERT statements by shape. */
export class InsertStatements {
  readonly #sql = new Map<string, string | null>();

  constructor(private readonly meta: ModelMeta) {}

  /** `{ sql, params }` inserting `rows` (which all set the same fields). */
  compile(rows: readonly InsertRow[], dialect: Dialect, options: InsertOptions): CompiledQuery {
    const fields = rows[0]?.fields ?? [];
    // Field names are the schema's identifiers: no `,`, `;` or parentheses.
    const key = `${dialect.name};${rows.length};${fields.map((f) => f.name).join(",")};${conflictKey(options.onConflict)}`;
    const sql = this.#sql.get(key);
    if (typeof sql === "string") return { sql, params: this.#params(rows, dialect) };
    const compiled = dialect.compiler.compile(buildInsert(this.meta, rows, dialect, options));
    if (sql === undefined && this.#sql.size < SHAPES_PER_MODEL) {
      const params = this.#params(rows, dialect);
      const same =
        params.length === compiled.params.length &&
        params.every(
          (p, i) => Object.is(p, compiled.params[i]) || isSameBytes(p, compiled.params[i]),
        );
      this.#sql.set(key, same ? compiled.sql : null);
    }
    return compiled;
  }

  #params(rows: readonly InsertRow[], dialect: Dialect): Param[] {
    const ctx = { dialect, model: this.meta.name, mode: "write" } as const;
    const params: Param[] = [];
    for (const row of rows) {
      const { fields, values } = row;
      for (let i = 0; i < values.length; i++) params.push(encodeValue(ctx, fields[i]!, values[i]));
    }
    return params;
  }
}

/** Encoded binary or JSON values are fresh objects each time: equal by content. */
function isSameBytes(a: Param, b: Param | undefined): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return false;
}
