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
import type { FieldMeta, ModelMeta } from "./meta.js";

/** Most INSERT shapes kept in each of a model's shape maps (bulkCreate's last batch adds one per row count). */
const SHAPES_PER_MODEL = 64;

function conflictKey(clause: OnConflictClause | undefined): string {
  if (clause === undefined) return "";
  const set = clause.action === "update" ? clause.set.join(",") : "";
  return `${clause.action}(${clause.target.join(",")})(${set})`;
}

/**
 * Fields are numbered by their place in the model's meta for the numeric shape key; a model
 * with more fields than this keys its shapes by text only.
 */
const MASK_FIELDS = 30;
const MASK_SPAN = 2 ** MASK_FIELDS;

/** One model's INSERT statements by shape. */
export class InsertStatements {
  readonly #sql = new Map<string, string | null>();
  /**
   * Shapes without ON CONFLICT, per dialect, by a number: the row count times MASK_SPAN plus the
   * bit set of the fields set (by meta index). No key text is built and hashed per INSERT.
   */
  readonly #plain = new Map<Dialect, Map<number, string | null>>();
  /** Each field's meta index, for the bit set; undefined for a model past MASK_FIELDS. */
  readonly #index: Map<FieldMeta, number> | undefined;

  constructor(private readonly meta: ModelMeta) {
    this.#index =
      meta.fields.length <= MASK_FIELDS ? new Map(meta.fields.map((f, i) => [f, i])) : undefined;
  }

  /** `{ sql, params }` inserting `rows` (which all set the same fields). */
  compile(rows: readonly InsertRow[], dialect: Dialect, options: InsertOptions): CompiledQuery {
    const fields = rows[0]?.fields ?? [];
    const mask = options.onConflict === undefined ? this.#mask(fields) : -1;
    if (mask >= 0) {
      let shapes = this.#plain.get(dialect);
      if (shapes === undefined) {
        shapes = new Map();
        this.#plain.set(dialect, shapes);
      }
      return this.#compile(shapes, rows.length * MASK_SPAN + mask, rows, dialect, options);
    }
    // Field names are the schema's identifiers: no `,`, `;` or parentheses.
    const key = `${dialect.name};${rows.length};${fields.map((f) => f.name).join(",")};${conflictKey(options.onConflict)}`;
    return this.#compile(this.#sql, key, rows, dialect, options);
  }

  /** The statement of shape `key` in `shapes`, compiled (and remembered) the first time. */
  #compile<K>(
    shapes: Map<K, string | null>,
    key: K,
    rows: readonly InsertRow[],
    dialect: Dialect,
    options: InsertOptions,
  ): CompiledQuery {
    const sql = shapes.get(key);
    if (typeof sql === "string") return { sql, params: this.#params(rows, dialect) };
    const compiled = dialect.compiler.compile(buildInsert(this.meta, rows, options));
    if (sql === undefined && shapes.size < SHAPES_PER_MODEL) {
      const params = this.#params(rows, dialect);
      const same =
        params.length === compiled.params.length &&
        params.every((p, i) => Object.is(p, compiled.params[i]));
      shapes.set(key, same ? compiled.sql : null);
    }
    return compiled;
  }

  /**
   * The bit set of `fields` by meta index, or -1 when it does not name the shape: a model past
   * MASK_FIELDS, or fields not in meta order (the same set in another order is other SQL).
   */
  #mask(fields: readonly FieldMeta[]): number {
    const index = this.#index;
    if (index === undefined) return -1;
    let mask = 0;
    let last = -1;
    for (let i = 0; i < fields.length; i++) {
      const at = index.get(fields[i]!);
      if (at === undefined || at <= last) return -1;
      mask |= 1 << at;
      last = at;
    }
    return mask;
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
