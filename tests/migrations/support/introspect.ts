/**
 * What a database's schema is, read back from the catalogs, in a form two databases can be
 * compared by: every table's columns (type, nullability, default, key), its constraints with
 * their names and definitions, and its indexes. SQLite: `sqlite_master` (the CREATE TABLE text,
 * split into its column and constraint items) and the table_info / foreign_key_list / index
 * pragmas. Postgres: pg_catalog for the current schema. The `yara_migrations` table is left out.
 */
import { tableItems } from "../../../generator/pull/table-items.js";
import type { Driver } from "../../../runtime/driver/driver.js";

export interface IntrospectedSchema {
  readonly tables: Record<string, unknown>;
}

async function rows(
  driver: Driver,
  sql: string,
  params: readonly (string | number)[] = [],
): Promise<Record<string, unknown>[]> {
  const result = await driver.query(sql, params);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < result.rowCount; i++) {
    const row: Record<string, unknown> = {};
    result.columns.forEach((name, c) => {
      const v = result.reader.value(c, i);
      row[name] = typeof v === "bigint" ? Number(v) : v;
    });
    out.push(row);
  }
  return out;
}

/** The CREATE TABLE text as its head and its items sorted (column order is not compared). */
function tableText(sql: string): { head: string; items: string[] } {
  return { head: sql.slice(0, sql.indexOf("(")).trim(), items: tableItems(sql).sort() };
}

async function introspectSqlite(driver: Driver): Promise<IntrospectedSchema> {
  const tables: Record<string, unknown> = {};
  const list = await rows(
    driver,
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'yara_migrations' ORDER BY name",
  );
  for (const t of list) {
    const name = String(t.name);
    const columns = await rows(
      driver,
      `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(${sqlString(name)}) ORDER BY name`,
    );
    const foreignKeys = await rows(
      driver,
      `SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(${sqlString(name)}) ORDER BY "from"`,
    );
    const indexes = await rows(
      driver,
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
      [name],
    );
    const autoIndexes = await rows(
      driver,
      `SELECT il."unique", il.origin, (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) AS columns FROM pragma_index_list(${sqlString(name)}) il WHERE il.origin <> 'c' ORDER BY columns`,
    );
    tables[name] = {
      create: tableText(String(t.sql)),
      columns,
      foreignKeys,
      indexes,
      autoIndexes,
    };
  }
  return { tables };
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

async function introspectPostgres(driver: Driver): Promise<IntrospectedSchema> {
  const tables: Record<string, unknown> = {};
  const list = await rows(
    driver,
    "SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname <> 'yara_migrations' ORDER BY 1",
  );
  for (const t of list) {
    const name = String(t.name);
    const columns = await rows(
      driver,
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity AS identity,
              replace(pg_get_serial_sequence(quote_ident($1), a.attname), current_schema() || '.', '') AS sequence
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = (current_schema() || '.' || quote_ident($1))::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attname`,
      [name],
    );
    const constraints = await rows(
      driver,
      `SELECT conname AS name, contype AS type, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE conrelid = (current_schema() || '.' || quote_ident($1))::regclass ORDER BY conname`,
      [name],
    );
    const indexes = await rows(
      driver,
      `SELECT i.relname AS name, replace(pg_get_indexdef(i.oid), current_schema() || '.', '') AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = (current_schema() || '.' || quote_ident($1))::regclass ORDER BY i.relname`,
      [name],
    );
    tables[name] = { columns, constraints, indexes };
  }
  return { tables };
}

export function introspect(driver: Driver): Promise<IntrospectedSchema> {
  return driver.dialect.name === "postgres" ? introspectPostgres(driver) : introspectSqlite(driver);
}

export { rows as queryRows };
