/**
 * What rows already in a table get when one of its columns becomes NOT NULL — a nullable field
 * altered, a field added, a removed field restored by `down`: the field's column default, else
 * the operation's `fill`. With neither, a migration fails before the column changes, naming the
 * field and how many rows lack a value (the message below), rather than with the database's own
 * NOT NULL error. The dialects write where it runs (postgres/alter-table.ts: an UPDATE before
 * SET NOT NULL, or a check; sqlite/rebuild-table.ts: a COALESCE in the copy).
 */
import { columnDefault, quoteIdent } from "../dialect/ddl-columns.js";
import type { Dialect } from "../dialect/dialect.js";
import type { FieldMeta } from "../model/meta.js";
import type { FillOption } from "./operation.js";
import { fillLiteral, quoteString } from "./sql-pieces.js";

/** Whether `field`, NOT NULL, has nothing to give rows already there unless its operation has a `fill`. */
export function needsFill(field: FieldMeta): boolean {
  return (
    !field.nullable && !field.pk && field.default === undefined && field.dbDefault === undefined
  );
}

/**
 * The SQL value for rows without one: the column default (a literal, or a `dbDefault` function
 * run per row, as an INSERT runs it), else the fill; undefined when there is neither.
 */
export function valueForExistingRows(
  field: FieldMeta,
  fill: FillOption["fill"],
  dialect: Dialect,
): string | undefined {
  return (
    columnDefault(field, dialect) ??
    (fill === undefined ? undefined : fillLiteral(field, fill, dialect))
  );
}

/** The rows that lack a value, and the message naming them, as SQL. */
export interface MissingValue {
  /** `FROM` and `WHERE` of those rows: `"item" WHERE "note" IS NULL`, or every row of a new column. */
  readonly rows: string;
  /** A SQL text expression: the message, with the count of those rows. */
  readonly message: string;
}

/**
 * For `model.field`, made NOT NULL in `table` (`column` holding NULL: an altered field) or added
 * NOT NULL to it (`column` undefined), with no default or fill.
 */
export function missingValue(
  model: string,
  field: string,
  table: string,
  column: string | undefined,
): MissingValue {
  const rows =
    column === undefined
      ? quoteIdent(table)
      : `${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NULL`;
  const count = `(SELECT count(*) FROM ${rows})`;
  const fix = "give the operation { fill: … } (the value those rows get)";
  const [head, one, many, tail] =
    column === undefined
      ? [
          `${model}.${field}: the table has `,
          " row",
          " rows",
          `, and the field is added NOT NULL without a default; ${fix}`,
        ]
      : [
          `${model}.${field}: `,
          " row holds",
          " rows hold",
          ` NULL, and the field becomes NOT NULL without a default; ${fix}, or update them first`,
        ];
  const plural = `CASE WHEN ${count} = 1 THEN ${quoteString(one)} ELSE ${quoteString(many)} END`;
  return {
    rows,
    message: `${quoteString(head)} || ${count} || ${plural} || ${quoteString(tail)}`,
  };
}
