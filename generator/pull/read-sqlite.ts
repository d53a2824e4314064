/**
 * `pull` on SQLite: tables from sqlite_master and the table_info / foreign_key_list / index
 * pragmas. SQLite keeps decimals, dates, times, uuids and JSON as TEXT and booleans as INTEGER,
 * so those come back as text and int fields; CHECKs (enum values, char length) are read from
 * the CREATE TABLE text.
 */
import type { Driver, FieldKind, LiteralValue } from "yara-orm/internal";
import { enumValuesOf, ON_DELETE, type DbColumn, type DbTable } from "./database-schema.js";
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
        onDelete: ON_DELETE[String(f.on_delete)] ?? "NO ACTION",
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
  let kind: FieldKind = type.includes("INT")
    ? "int"
    : type === "REAL" || type.includes("FLOA") || type.includes("DOUB")
      ? "float"
      : type === "BLOB"
        ? "binary"
        : "text";
  const check = /CHECK \((.*)\)\s*(?:CONSTRAINT|REFERENCES|$)/i.exec(item)?.[1];
  const length = check === undefined ? undefined : /^length\(.+\) <= (\d+)$/.exec(check);
  const enumValues = check !== undefined && / IN \(/i.test(check) ? enumValuesOf(check) : undefined;
  const extra: { maxLength?: number } = {};
  if (length !== undefined && length !== null) {
    kind = "char";
    extra.maxLength = Number(length[1]);
  }
  if (enumValues !== undefined) kind = kind === "int" ? "intEnum" : "charEnum";
  const dflt =
    c.dflt_value === null || c.dflt_value === undefined
      ? undefined
      : sqliteDefault(String(c.dflt_value), kind);
  return {
    name: String(c.name),
    kind,
    ...extra,
    ...(enumValues === undefined ? {} : { enumValues }),
    notNull: Number(c.notnull) === 1 || Number(c.pk) > 0,
    ...(dflt === undefined ? {} : { default: dflt }),
    auto: soleKey && kind === "int" && /AUTOINCREMENT/i.test(item),
  };
}

function sqliteDefault(expr: string, kind: FieldKind): LiteralValue | undefined {
  const quoted = /^'((?:[^']|'')*)'$/.exec(expr);
  if (quoted !== null) return quoted[1]!.replace(/''/g, "'");
  if (expr.toUpperCase() === "NULL") return null;
  if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(expr))
    return kind === "text" || kind === "char" ? expr : Number(expr);
  return undefined;
}
