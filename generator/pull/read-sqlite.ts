/**
 * `pull` on SQLite: tables from sqlite_master and the table_info / foreign_key_list / index
 * pragmas. A field kind SQLite has no type for is read from the declared type yara writes
 * (`TEXT DECIMAL(10, 2)`, `BOOLEAN`, … — ddl-columns.ts); other TEXT and INTEGER columns come back
 * as text and int fields; CHECKs (enum values, char length) are read from the CREATE TABLE text.
 */
import type { Driver, FieldKind, LiteralValue, OnDelete } from "yara-orm/internal";
import {
  enumValuesOf,
  functionDefault,
  ON_DELETE,
  type DbColumn,
  type DbTable,
} from "./database-schema.js";
import { rowsOf } from "./rows.js";
import { tableItems } from "./table-items.js";

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export async function readSqlite(db: Driver): Promise<DbTable[]> {
  const tables = await rowsOf(
    db,
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'yara_migrations' ORDER BY rowid",
  );
  const out: DbTable[] = [];
  for (const t of tables) {
    const name = String(t.name);
    const items = tableItems(String(t.sql));
    const info = await rowsOf(
      db,
      `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(${sqlString(name)}) ORDER BY cid`,
    );
    const fks = await rowsOf(
      db,
      `SELECT "table", "from", on_delete FROM pragma_foreign_key_list(${sqlString(name)}) ORDER BY id`,
    );
    const indexList = await rowsOf(
      db,
      `SELECT name, "unique", origin FROM pragma_index_list(${sqlString(name)}) ORDER BY name`,
    );
    const uniques: string[][] = [];
    const indexes: string[][] = [];
    for (const index of indexList) {
      if (index.origin === "pk") continue;
      const cols = await rowsOf(
        db,
        `SELECT name FROM pragma_index_info(${sqlString(String(index.name))}) ORDER BY seqno`,
      );
      (Number(index.unique) === 1 ? uniques : indexes).push(cols.map((c) => String(c.name)));
    }
    const pkCount = info.filter((c) => Number(c.pk) > 0).length;
    out.push({
      name,
      columns: info.map((c) => {
        const item = items.find((i) => columnOfItem(i) === String(c.name)) ?? "";
        return sqliteColumn(c, item, pkCount === 1 && Number(c.pk) === 1);
      }),
      primaryKey: info
        .filter((c) => Number(c.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((c) => String(c.name)),
      uniques,
      foreignKeys: fks.map((f) => ({
        column: String(f.from),
        table: String(f.table),
        // yara writes RESTRICT as NO ACTION on SQLite (ddl.ts), where the two refuse the same
        // deletes: read back, both are RESTRICT.
        onDelete: sqliteOnDelete(String(f.on_delete)),
      })),
      indexes,
    });
  }
  return out;
}

/** The column an item of CREATE TABLE defines (`"title" TEXT …`), or undefined for a table constraint. */
function columnOfItem(item: string): string | undefined {
  const m = /^"((?:[^"]|"")+)"|^([A-Za-z_][A-Za-z0-9_]*)/.exec(item);
  if (m === null || /^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i.test(item)) return undefined;
  return (m[1] ?? m[2])!.replace(/""/g, '"');
}

function sqliteColumn(c: Record<string, unknown>, item: string, soleKey: boolean): DbColumn {
  const type = String(c.type).toUpperCase();
  const extra: { maxLength?: number; maxDigits?: number; decimalPlaces?: number } = {};
  const decimal = /^TEXT DECIMAL\((\d+), ?(\d+)\)$/.exec(type);
  let kind: FieldKind;
  if (decimal !== null) {
    kind = "decimal";
    extra.maxDigits = Number(decimal[1]);
    extra.decimalPlaces = Number(decimal[2]);
  } else {
    kind =
      SQLITE_KINDS[type] ??
      (type.includes("INT")
        ? "int"
        : type === "REAL" || type.includes("FLOA") || type.includes("DOUB")
          ? "float"
          : type === "BLOB"
            ? "binary"
            : "text");
  }
  const check = /CHECK \((.*)\)\s*(?:CONSTRAINT|REFERENCES|$)/i.exec(item)?.[1];
  const length = check === undefined ? undefined : /^length\(.+\) <= (\d+)$/.exec(check);
  const enumValues = check !== undefined && / IN \(/i.test(check) ? enumValuesOf(check) : undefined;
  if (length !== undefined && length !== null) {
    kind = "char";
    extra.maxLength = Number(length[1]);
  }
  if (enumValues !== undefined) kind = kind === "int" ? "intEnum" : "charEnum";
  const expr =
    c.dflt_value === null || c.dflt_value === undefined ? undefined : String(c.dflt_value);
  const dflt = expr === undefined ? undefined : sqliteDefault(expr, kind);
  const dbDefault = expr === undefined ? undefined : functionDefault(expr, kind);
  return {
    name: String(c.name),
    kind,
    ...extra,
    ...(enumValues === undefined ? {} : { enumValues }),
    notNull: Number(c.notnull) === 1 || Number(c.pk) > 0,
    ...(dflt === undefined ? {} : { default: dflt }),
    ...(dbDefault === undefined ? {} : { dbDefault }),
    auto: soleKey && kind === "int" && /AUTOINCREMENT/i.test(item),
  };
}

function sqliteOnDelete(action: string): OnDelete {
  const onDelete = ON_DELETE[action] ?? "NO ACTION";
  return onDelete === "NO ACTION" ? "RESTRICT" : onDelete;
}

/** The declared types yara's DDL writes for kinds SQLite has no type of its own for (ddl-columns.ts). */
const SQLITE_KINDS: Readonly<Record<string, FieldKind>> = {
  SMALLINT: "smallint",
  BIGINT: "bigint",
  BOOLEAN: "boolean",
  "TEXT DATETIME": "datetime",
  "TEXT DATE": "date",
  "TEXT TIME": "time",
  "TEXT UUID": "uuid",
  "TEXT JSON": "json",
};

function sqliteDefault(expr: string, kind: FieldKind): LiteralValue | undefined {
  const quoted = /^'((?:[^']|'')*)'$/.exec(expr);
  if (quoted !== null) {
    const text = quoted[1]!.replace(/''/g, "'");
    if (kind !== "json") return text;
    try {
      return JSON.parse(text) as LiteralValue;
    } catch {
      return undefined;
    }
  }
  if (expr.toUpperCase() === "NULL") return null;
  if (kind === "boolean" && (expr === "0" || expr === "1")) return expr === "1";
  if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(expr))
    return kind === "text" || kind === "char" || kind === "decimal" ? expr : Number(expr);
  return undefined;
}
