/**
 * The named objects of one table on Postgres — primary, unique, check and foreign-key
 * constraints and plain indexes — each with the name `dialect/ddl.ts` gives it and a key that
 * says what it does. Comparing two versions of a table by key tells `alter-table.ts` which
 * objects to drop, rename or add.
 */
import { constraintIdentifier } from "../constraint-name.js";
import {
  createIndex,
  indexColumnSets,
  modelForeignKeys,
  references,
  uniqueTogetherColumnSets,
} from "../ddl.js";
import { columnCheck, quoteIdent } from "../ddl-columns.js";
import type { ModelMeta } from "../../model/meta.js";
import type { Dialect } from "../dialect.js";
import type { SchemaState } from "../../migrations/state.js";

export interface TableObject {
  readonly kind: "pkey" | "unique" | "check" | "fkey" | "index";
  /** Unquoted, as it is in the database. */
  readonly name: string;
  /** What the object does, in the column names of the version compared against. */
  readonly key: string;
  /** Creates it (ALTER TABLE … ADD CONSTRAINT, or CREATE INDEX). */
  readonly create: string;
}

/**
 * `columnOf` maps this version's column names to the names the comparison uses (the other
 * version's, through renames); a column that is gone maps to something no other column does.
 */
export function tableObjects(
  model: ModelMeta,
  state: SchemaState,
  dialect: Dialect,
  columnOf: (column: string) => string = (c) => c,
): TableObject[] {
  const table = model.table;
  const alter = `ALTER TABLE ${quoteIdent(table)} ADD CONSTRAINT`;
  const objects: TableObject[] = [
    { kind: "pkey", name: constraintIdentifier(table, [], "pkey"), key: "P", create: "" },
  ];
  const fks = modelForeignKeys(model, state);
  const oneToOne = new Set(
    model.relations.filter((r) => r.kind === "oneToOne").map((r) => r.keyField),
  );
  for (const f of model.fields) {
    const col = columnOf(f.column);
    if (!f.pk && (f.unique || oneToOne.has(f.name))) {
      const name = constraintIdentifier(table, [f.column], "key");
      objects.push({
        kind: "unique",
        name,
        key: `U:${col}`,
        create: `${alter} ${quoteIdent(name)} UNIQUE (${quoteIdent(f.column)})`,
      });
    }
    const check = columnCheck(f, dialect);
    if (check !== undefined) {
      const name = constraintIdentifier(table, [f.column], "check");
      const key = `C:${col}:${columnCheck({ ...f, column: col }, dialect)}`;
      objects.push({
        kind: "check",
        name,
        key,
        create: `${alter} ${quoteIdent(name)} CHECK (${check})`,
      });
    }
    const fk = fks.get(f.name);
    if (fk !== undefined) {
      const name = constraintIdentifier(table, [f.column], "fkey");
      objects.push({
        kind: "fkey",
        name,
        key: `F:${col}:${fk.table}:${fk.column}:${fk.onDelete ?? ""}`,
        create: `${alter} ${quoteIdent(name)} ${`FOREIGN KEY (${quoteIdent(f.column)}) ${references(fk, dialect)}`}`,
      });
    }
  }
  for (const columns of uniqueTogetherColumnSets(model)) {
    const name = constraintIdentifier(table, columns, "key");
    const list = columns.map(quoteIdent).join(", ");
    objects.push({
      kind: "unique",
      name,
      key: `U:${columns.map(columnOf).join(",")}`,
      create: `${alter} ${quoteIdent(name)} UNIQUE (${list})`,
    });
  }
  for (const columns of indexColumnSets(model)) {
    const name = constraintIdentifier(table, columns, "idx");
    objects.push({
      kind: "index",
      name,
      key: `I:${columns.map(columnOf).join(",")}`,
      create: createIndex(table, columns),
    });
  }
  return objects;
}
