/**
 * INSERT … RETURNING statements by shape: the SQL depends only on the dialect, the fields set,
 * the number of rows and the ON CONFLICT clause (the table and RETURNING list are the model's),
 * so each shape is compiled once per model and dialect. The INSERT's AST holds the rows' checked
 * values, the same for every dialect; the compiler stores each for its dialect as it numbers
 * them, row by row, field by field. A later INSERT of a known shape stores its values in that
 * order without building the AST. A shape is remembered only when that order gave the
 * compiler's parameters exactly.
 */
import type { OnConflictClause } from "../ast/insert.js";
import type { CompiledQuery } from "../compiler/compiler.js";
import { storeChecked } from "../dialect/encode.js";
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
    const compiled = dialect.compiler.compile(buildInsert(this.meta, rows, options));
    if (sql === undefined && this.#sql.size < SHAPES_PER_MODEL) {
      const params = this.#params(rows, dialect);
      const same =
        params.length === compiled.params.length &&
        params.every((p, i) => Object.is(p, compiled.params[i]));
      this.#sql.set(key, same ? compiled.sql : null);
    }
    return compiled;
  }

  /** The rows' checked values as `dialect` stores them, in the compiler's order. */
  #params(rows: readonly InsertRow[], dialect: Dialect): Param[] {
    const model = this.meta.name;
    const params: Param[] = [];
    for (const row of rows) {
      const { fields, values } = row;
      for (let i = 0; i < values.length; i++)
        params.push(storeChecked(dialect, model, fields[i]!, values[i] as Param));
    }
    return params;
  }
}
