/**
 * A schema file from a live database's tables (`pull`): one model per table, one field per
 * column, foreign keys as relations, a two-key join table as a many-to-many field, unique and
 * index settings and multi-column ones as model options. Model and field names come from table
 * and column names (a join table's `book_id` names the model of its target table `Book`), and
 * any name yara would not derive the same way is written out (`table`, `column`). Tables yara
 * cannot model (no primary key, a composite one) are listed in a comment. Pure.
 */
import { literal } from "../literal.js";
import { snakeCase, throughColumns } from "../../schema/naming.js";
import type { DbColumn, DbForeignKey, DbTable } from "./database-schema.js";

const camel = (snake: string): string =>
  snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const pascal = (snake: string): string => {
  const c = camel(snake);
  return c.charAt(0).toUpperCase() + c.slice(1);
};
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const CONSTRUCTORS: Readonly<Record<DbColumn["kind"], string>> = {
  int: "IntField",
  bigint: "BigIntField",
  smallint: "SmallIntField",
  char: "CharField",
  text: "TextField",
  boolean: "BooleanField",
  float: "FloatField",
  decimal: "DecimalField",
  datetime: "DatetimeField",
  date: "DateField",
  time: "TimeField",
  uuid: "UUIDField",
  json: "JSONField",
  binary: "BinaryField",
  charEnum: "CharEnumField",
  intEnum: "IntEnumField",
};

function isJoinTable(t: DbTable): boolean {
  return (
    t.columns.length === 2 &&
    t.foreignKeys.length === 2 &&
    t.primaryKey.length === 2 &&
    same([...t.primaryKey].sort(), t.columns.map((c) => c.name).sort())
  );
}

export function schemaSource(tables: readonly DbTable[], source: string): string {
  const modelNames = new Map<string, string>();
  const skipped: string[] = [];
  const joins = tables.filter(isJoinTable);
  for (const j of joins) {
    for (const fk of j.foreignKeys) {
      if (
        fk.column.endsWith("_id") &&
        !fk.column.startsWith("from_") &&
        !fk.column.startsWith("to_")
      )
        modelNames.set(fk.table, pascal(fk.column.slice(0, -3)));
    }
  }
  const models = tables.filter((t) => !isJoinTable(t));
  for (const t of models) if (!modelNames.has(t.name)) modelNames.set(t.name, pascal(t.name));
  const modelOf = (table: string) => modelNames.get(table) ?? pascal(table);

  const blocks: string[] = [];
  for (const t of models) {
    if (t.primaryKey.length !== 1) {
      skipped.push(
        `${t.name}: ${t.primaryKey.length === 0 ? "no primary key" : "a composite primary key"}`,
      );
      continue;
    }
    const model = modelOf(t.name);
    const fkByColumn = new Map(t.foreignKeys.map((f) => [f.column, f]));
    const targets = new Map<string, number>();
    for (const f of t.foreignKeys) targets.set(f.table, (targets.get(f.table) ?? 0) + 1);
    const uniqueCols = new Set(t.uniques.filter((u) => u.length === 1).map((u) => u[0]!));
    const indexCols = new Set(t.indexes.filter((i) => i.length === 1).map((i) => i[0]!));
    const nameOf = new Map<string, string>();
    const lines: string[] = [];
    for (const c of t.columns) {
      const fk = fkByColumn.get(c.name);
      if (fk !== undefined) {
        const relation = c.name.endsWith("_id")
          ? camel(c.name.slice(0, -3))
          : `${camel(c.name)}Ref`;
        nameOf.set(c.name, relation);
        lines.push(
          relationLine(model, relation, c, fk, modelOf(fk.table), {
            unique: uniqueCols.has(c.name),
            indexed: indexCols.has(c.name),
            shared: (targets.get(fk.table) ?? 0) > 1 || fk.table === t.name,
          }),
        );
        continue;
      }
      const name = camel(c.name);
      nameOf.set(c.name, name);
      lines.push(
        fieldLine(name, c, {
          pk: t.primaryKey[0] === c.name,
          unique: uniqueCols.has(c.name),
          index: indexCols.has(c.name),
        }),
      );
    }
    for (const j of joins) {
      // The key's first column holds the side that declared the relation.
      const [first, second] = j.foreignKeys as [DbForeignKey, DbForeignKey];
      const [source, target] = first.column === j.primaryKey[0] ? [first, second] : [second, first];
      if (source.table !== t.name) continue;
      const cols = throughColumns(model, modelOf(target.table));
      if (source.column !== cols.source || target.column !== cols.target) {
        skipped.push(
          `${j.name}: a join table whose columns are not ${cols.source} and ${cols.target}`,
        );
        continue;
      }
      if (/^[A-Z]/.test(j.name)) {
        skipped.push(
          `${j.name}: a join table whose name starts with a capital letter (\`through\` so written names a through model)`,
        );
        continue;
      }
      const relation = `${camel(snakeCase(modelOf(target.table)))}s`;
      lines.push(
        `${relation}: fields.ManyToManyField(${literal(modelOf(target.table))}, { through: ${literal(j.name)} }),`,
      );
    }
    const names = (cols: readonly string[]) => cols.map((c) => nameOf.get(c) ?? camel(c));
    const options: Record<string, unknown> = { table: t.name };
    const together = t.uniques.filter((u) => u.length > 1).map(names);
    const indexes = t.indexes.filter((i) => i.length > 1).map(names);
    if (together.length > 0) options.uniqueTogether = together;
    if (indexes.length > 0) options.indexes = indexes;
    blocks.push(
      `  ${model}: model(\n    {\n      ${lines.join("\n      ")}\n    },\n    ${literal(options)},\n  ),`,
    );
  }
  const notes = skipped.map((s) => `// Not pulled: ${s}.\n`).join("");
  return `// Pulled from ${source} by yara-gen migrations pull; review it, then generate and baseline.
${notes}import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
${blocks.join("\n")}
});
`;
}

function fieldLine(
  name: string,
  c: DbColumn,
  flags: { pk: boolean; unique: boolean; index: boolean },
): string {
  const o: Record<string, unknown> = {};
  if (c.kind === "charEnum" || c.kind === "intEnum") o.values = c.enumValues;
  if (c.maxLength !== undefined) o.maxLength = c.maxLength;
  if (c.maxDigits !== undefined) {
    o.maxDigits = c.maxDigits;
    o.decimalPlaces = c.decimalPlaces;
  }
  if (flags.pk) o.pk = true;
  if (!c.notNull && !flags.pk) o.null = true;
  if (c.default !== undefined) o.default = c.default;
  if (c.dbDefault !== undefined) o.dbDefault = c.dbDefault;
  if (flags.unique && !flags.pk) o.unique = true;
  if (flags.index) o.index = true;
  if (snakeCase(name) !== c.name) o.column = c.name;
  return `${name}: fields.${CONSTRUCTORS[c.kind]}(${Object.keys(o).length === 0 ? "" : literal(o)}),`;
}

function relationLine(
  model: string,
  relation: string,
  c: DbColumn,
  fk: DbForeignKey,
  target: string,
  flags: { unique: boolean; indexed: boolean; shared: boolean },
): string {
  const o: Record<string, unknown> = { onDelete: fk.onDelete };
  if (!c.notNull) o.null = true;
  if (!flags.unique && !flags.indexed) o.index = false;
  if (snakeCase(`${relation}Id`) !== c.name) o.column = c.name;
  if (flags.shared)
    o.relatedName = `${camel(snakeCase(model))}${relation.charAt(0).toUpperCase()}${relation.slice(1)}s`;
  const constructor = flags.unique ? "OneToOneField" : "ForeignKeyField";
  return `${relation}: fields.${constructor}(${literal(target)}, ${literal(o)}),`;
}
