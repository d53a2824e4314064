/**
 * CREATE TABLE / CREATE INDEX statements for a set of models, per dialect (design.md, "Storage
 * per dialect"). Every statement is idempotent (IF NOT EXISTS), identifiers are double-quoted,
 * and constraints and indexes get predictable names: `${table}_${columns}_key` (unique),
 * `_check`, `_fkey`, `_idx`, the same on both dialects so IntegrityError.constraint matches.
 */
import type { Dialect } from "./dialect.js";
import { ConfigurationError } from "../errors.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import { constraintIdentifier } from "./constraint-name.js";
import { commentStatements } from "./ddl-comments.js";
import { columnCheck, columnDefault, columnType, isAutoPk, quoteIdent } from "./ddl-columns.js";
import { tableOrder } from "./ddl-order.js";
import { checkIdentifierLength } from "./identifier-length.js";

/** All statements, in the order to run them, for every model and many-to-many join table. */
export function schemaStatements(models: readonly ModelMeta[], dialect: Dialect): string[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const { models: ordered, deferred } = tableOrder(models);
  const tables: string[] = [];
  const indexes: string[] = [];
  const alters: string[] = [];
  for (const model of ordered) {
    const fks = modelForeignKeys(model, byName);
    const inline = (field: string) =>
      dialect.ddl.addForeignKey === undefined || !deferred.has(`${model.name}.${field}`);
    tables.push(createTable(model, dialect, fks, inline));
    indexes.push(...modelIndexes(model));
    for (const [field, fk] of fks) {
      if (!inline(field))
        alters.push(addForeignKey(model.table, fieldOf(model, field).column, fk, dialect));
    }
  }
  for (const model of ordered) {
    for (const r of model.relations) {
      // A through model's table is created with the other models.
      if (r.kind === "manyToMany" && r.through?.model === undefined) {
        const made = joinTable(model, r, byName, dialect);
        tables.push(made.table);
        indexes.push(made.index);
      }
    }
  }
  return [...tables, ...alters, ...indexes, ...commentStatements(ordered, dialect)];
}

export interface ForeignKey {
  readonly table: string;
  readonly column: string;
  readonly onDelete: string | undefined;
  readonly oneToOne: boolean;
}

/** How `createTable` writes the statement: migrations build under a temporary name, without IF NOT EXISTS. */
export interface CreateTableOptions {
  /** The name to create the table under (default `model.table`); constraint names keep `model.table`. */
  readonly as?: string;
  /** Default true: `generateSchemas` may run twice; a migration's CREATE TABLE must not find one. */
  readonly ifNotExists?: boolean;
}

/** The foreign keys of a model's own fields (foreignKey and oneToOne relations), by key field name. */
export function modelForeignKeys(
  model: ModelMeta,
  byName: ReadonlyMap<string, ModelMeta>,
): Map<string, ForeignKey> {
  const fks = new Map<string, ForeignKey>();
  for (const r of model.relations) {
    if ((r.kind === "foreignKey" || r.kind === "oneToOne") && r.keyField !== undefined) {
      fks.set(r.keyField, foreignKey(model, r, byName));
    }
  }
  return fks;
}

export function createTable(
  model: ModelMeta,
  dialect: Dialect,
  fks: ReadonlyMap<string, ForeignKey>,
  inline: (field: string) => boolean,
  options: CreateTableOptions = {},
): string {
  checkIdentifierLength(model.table, `table of model ${model.name}`, dialect);
  for (const f of model.fields)
    checkIdentifierLength(f.column, `column of ${model.name}.${f.name}`, dialect);
  const constraints: string[] = [];
  const lines = model.fields.map((f) => {
    const fk = fks.get(f.name);
    const column = columnDefinition(
      model,
      f,
      dialect,
      fk !== undefined && inline(f.name) ? fk : undefined,
      fk?.oneToOne === true,
    );
    constraints.push(...column.constraints);
    return column.definition;
  });
  lines.push(...constraints);
  for (const fields of model.uniqueTogether) {
    const columns = fields.map((name) => fieldOf(model, keyFieldName(model, name)).column);
    lines.push(
      `CONSTRAINT ${constraintName(model.table, columns, "key")} UNIQUE (${columns.map(quoteIdent).join(", ")})`,
    );
  }
  const ifNotExists = options.ifNotExists === false ? "" : "IF NOT EXISTS ";
  return `CREATE TABLE ${ifNotExists}${quoteIdent(options.as ?? model.table)} (\n  ${lines.join(",\n  ")}\n)${dialect.ddl.tableOptions}`;
}

function columnDefinition(
  model: ModelMeta,
  f: FieldMeta,
  dialect: Dialect,
  fk: ForeignKey | undefined,
  oneToOne: boolean,
): { definition: string; constraints: string[] } {
  const parts = [quoteIdent(f.column), columnType(f, dialect)];
  // Constraints follow the column, or come after the columns where the dialect wants them there.
  const constraints: string[] = [];
  const constraint = (inline: string, tableLevel: string): void => {
    if (dialect.ddl.tableConstraints) constraints.push(tableLevel);
    else parts.push(inline);
  };
  const col = `(${quoteIdent(f.column)})`;
  if (f.pk) {
    if (isAutoPk(f)) {
      parts.push(dialect.ddl.autoPk);
    } else {
      parts.push("NOT NULL PRIMARY KEY");
      if (f.dbDefault !== undefined) parts.push(`DEFAULT ${columnDefault(f, dialect)!}`);
    }
  } else {
    if (!f.nullable) parts.push("NOT NULL");
    const byDefault = columnDefault(f, dialect);
    if (byDefault !== undefined) parts.push(`DEFAULT ${byDefault}`);
    if (f.unique || oneToOne) {
      const name = constraintName(model.table, [f.column], "key");
      constraint(`CONSTRAINT ${name} UNIQUE`, `CONSTRAINT ${name} UNIQUE ${col}`);
    }
  }
  const check = columnCheck(f, dialect);
  if (check !== undefined) {
    const sql = `CONSTRAINT ${constraintName(model.table, [f.column], "check")} CHECK (${check})`;
    constraint(sql, sql);
  }
  if (fk !== undefined) {
    const name = constraintName(model.table, [f.column], "fkey");
    constraint(
      `CONSTRAINT ${name} ${references(fk, dialect)}`,
      `CONSTRAINT ${name} FOREIGN KEY ${col} ${references(fk, dialect)}`,
    );
  }
  return { definition: parts.join(" "), constraints };
}

/**
 * `REFERENCES "table" ("column") ON DELETE …`. On SQLite `RESTRICT` is written `NO ACTION`:
 * SQLite reports a RESTRICT violation as a trigger failure (SQLITE_CONSTRAINT_TRIGGER) rather
 * than a foreign-key one, and with yara's immediate (never deferred) keys both refuse the same
 * deletes, so the `IntegrityError` is `kind: "foreign_key"` on both databases.
 */
export function references(fk: ForeignKey, dialect: Dialect): string {
  const action = fk.onDelete === undefined ? undefined : dialect.ddl.onDeleteAction(fk.onDelete);
  const onDelete = action === undefined ? "" : ` ON DELETE ${action}`;
  return `REFERENCES ${quoteIdent(fk.table)} (${quoteIdent(fk.column)})${onDelete}`;
}

/** A foreign key closing a cycle, added after the tables (the dialect has addForeignKey). */
function addForeignKey(table: string, column: string, fk: ForeignKey, dialect: Dialect): string {
  const name = constraintName(table, [column], "fkey");
  const clause = `FOREIGN KEY (${quoteIdent(column)}) ${references(fk, dialect)}`;
  return dialect.ddl.addForeignKey!(quoteIdent(table), name, clause);
}

/**
 * `index: true` fields (the schema turns it on for foreign keys that are not unique, as Django
 * does; `index: false` turns it off) and `indexes`.
 */
export function modelIndexes(model: ModelMeta): string[] {
  return indexColumnSets(model).map((columns) => createIndex(model.table, columns));
}

/** The column lists of a model's plain indexes, each once, in the order they are created. */
export function indexColumnSets(model: ModelMeta): string[][] {
  const sets: string[][] = [];
  for (const f of model.fields) {
    if (f.index) sets.push([f.column]);
  }
  for (const fields of model.indexes)
    sets.push(fields.map((name) => fieldOf(model, keyFieldName(model, name)).column));
  const seen = new Set<string>();
  const unique: string[][] = [];
  for (const columns of sets) {
    const name = constraintName(model.table, columns, "idx");
    if (seen.has(name)) continue;
    seen.add(name);
    unique.push(columns);
  }
  return unique;
}

/** The column lists of a model's unique-together constraints. */
export function uniqueTogetherColumnSets(model: ModelMeta): string[][] {
  return model.uniqueTogether.map((fields) =>
    fields.map((name) => fieldOf(model, keyFieldName(model, name)).column),
  );
}

export function createIndex(table: string, columns: readonly string[]): string {
  const name = constraintName(table, columns, "idx");
  return `CREATE INDEX IF NOT EXISTS ${name} ON ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")})`;
}

/** The join table of a many-to-many relation: two cascading keys, the pair as primary key. */
export function joinTable(
  model: ModelMeta,
  r: RelationMeta,
  byName: ReadonlyMap<string, ModelMeta>,
  dialect: Dialect,
  options: CreateTableOptions = {},
): { table: string; index: string } {
  if (r.through === undefined) {
    throw new ConfigurationError(
      `many-to-many relation ${model.name}.${r.name} has no join table in its metadata`,
    );
  }
  const { table, sourceColumn, targetColumn } = r.through;
  const relation = `${model.name}.${r.name}`;
  checkIdentifierLength(table, `join table of ${relation}`, dialect);
  checkIdentifierLength(sourceColumn, `join table column of ${relation}`, dialect);
  checkIdentifierLength(targetColumn, `join table column of ${relation}`, dialect);
  const target = modelOf(byName, r.target, `${model.name}.${r.name}`);
  const key = (owner: ModelMeta, column: string): string => {
    const pk = fieldOf(owner, owner.pk);
    const fk: ForeignKey = {
      table: owner.table,
      column: pk.column,
      onDelete: "CASCADE",
      oneToOne: false,
    };
    const type = columnType({ ...pk, pk: false, generated: false }, dialect);
    const name = constraintName(table, [column], "fkey");
    if (dialect.ddl.tableConstraints)
      return `${quoteIdent(column)} ${type} NOT NULL,\n  CONSTRAINT ${name} FOREIGN KEY (${quoteIdent(column)}) ${references(fk, dialect)}`;
    return `${quoteIdent(column)} ${type} NOT NULL CONSTRAINT ${name} ${references(fk, dialect)}`;
  };
  const pair = [sourceColumn, targetColumn];
  const ifNotExists = options.ifNotExists === false ? "" : "IF NOT EXISTS ";
  const create =
    `CREATE TABLE ${ifNotExists}${quoteIdent(options.as ?? table)} (\n  ${key(model, sourceColumn)},\n  ${key(target, targetColumn)},\n` +
    `  CONSTRAINT ${constraintName(table, [], "pkey")} PRIMARY KEY (${pair.map(quoteIdent).join(", ")})\n)${dialect.ddl.tableOptions}`;
  return { table: create, index: createIndex(table, [targetColumn]) };
}

function foreignKey(
  model: ModelMeta,
  r: RelationMeta,
  byName: ReadonlyMap<string, ModelMeta>,
): ForeignKey {
  const target = modelOf(byName, r.target, `${model.name}.${r.name}`);
  return {
    table: target.table,
    column: fieldOf(target, target.pk).column,
    onDelete: r.onDelete,
    oneToOne: r.kind === "oneToOne",
  };
}

/** In uniqueTogether and indexes a relation name stands for its key field. */
function keyFieldName(model: ModelMeta, name: string): string {
  const relation = model.relations.find((r) => r.name === name && r.keyField !== undefined);
  return relation?.keyField ?? name;
}

function fieldOf(model: ModelMeta, name: string): FieldMeta {
  const field = model.fields.find((f) => f.name === name);
  if (field === undefined)
    throw new ConfigurationError(`model ${model.name} has no field "${name}"`);
  return field;
}

function modelOf(byName: ReadonlyMap<string, ModelMeta>, name: string, from: string): ModelMeta {
  const model = byName.get(name);
  if (model === undefined) {
    throw new ConfigurationError(
      `${from} points at model ${name}, which is not registered; import its generated file`,
    );
  }
  return model;
}

/** `books_title_author_id_key`, quoted (see constraint-name.ts). */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  return quoteIdent(constraintIdentifier(table, columns, suffix));
}
