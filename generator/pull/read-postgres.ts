/** `pull` on Postgres: the current schema's tables from pg_catalog, in yara's terms. */
import type { Driver, FieldKind, LiteralValue } from "yara-orm/internal";
import {
  enumValuesOf,
  functionDefault,
  ON_DELETE,
  type DbColumn,
  type DbTable,
} from "./database-schema.js";
import { rowsOf } from "./rows.js";

const TABLE = "(current_schema() || '.' || quote_ident($1))::regclass";

export async function readPostgres(db: Driver): Promise<DbTable[]> {
  const tables = await rowsOf(
    db,
    "SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname <> 'yara_migrations' ORDER BY oid",
  );
  const out: DbTable[] = [];
  for (const t of tables) {
    const name = String(t.name);
    const columns = await rowsOf(
      db,
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity AS identity, a.attnum AS num
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ${TABLE} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [name],
    );
    const constraints = await rowsOf(
      db,
      `SELECT c.contype AS type, pg_get_constraintdef(c.oid) AS def, c.confdeltype AS ondelete, f.relname AS target,
              (SELECT array_to_string(array_agg(a.attname ORDER BY k.i), ',') FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns
         FROM pg_constraint c LEFT JOIN pg_class f ON f.oid = c.confrelid
        WHERE c.conrelid = ${TABLE} ORDER BY c.conname`,
      [name],
    );
    const indexes = await rowsOf(
      db,
      `SELECT (SELECT array_to_string(array_agg(a.attname ORDER BY k.i), ',') FROM unnest(x.indkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n) AS columns
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = ${TABLE} AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.relname`,
      [name],
    );
    const checks = new Map<string, string>();
    for (const c of constraints) {
      const cols = String(c.columns ?? "").split(",");
      if (c.type === "c" && cols.length === 1) checks.set(cols[0]!, String(c.def));
    }
    out.push({
      name,
      columns: columns.map((c) => postgresColumn(c, checks.get(String(c.name)))),
      primaryKey: constraints
        .filter((c) => c.type === "p")
        .flatMap((c) => String(c.columns).split(",")),
      uniques: constraints.filter((c) => c.type === "u").map((c) => String(c.columns).split(",")),
      foreignKeys: constraints
        .filter((c) => c.type === "f")
        .map((c) => ({
          column: String(c.columns),
          table: String(c.target),
          onDelete: ON_DELETE[String(c.ondelete)] ?? "NO ACTION",
        })),
      indexes: indexes.map((i) => String(i.columns).split(",")),
    });
  }
  return out;
}

function postgresColumn(c: Record<string, unknown>, check: string | undefined): DbColumn {
  const type = String(c.type);
  let kind: FieldKind = "text";
  const extra: { maxLength?: number; maxDigits?: number; decimalPlaces?: number } = {};
  const varchar = /^character varying\((\d+)\)$/.exec(type);
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (varchar !== null) {
    kind = "char";
    extra.maxLength = Number(varchar[1]);
  } else if (numeric !== null) {
    kind = "decimal";
    extra.maxDigits = Number(numeric[1]);
    extra.decimalPlaces = Number(numeric[2]);
  } else {
    kind = POSTGRES_KINDS[type] ?? "text";
  }
  const enumValues = check === undefined ? undefined : enumValuesOf(check);
  if (enumValues !== undefined) kind = kind === "char" ? "charEnum" : "intEnum";
  const expr = c.dflt === null || c.dflt === undefined ? undefined : String(c.dflt);
  const dflt = expr === undefined ? undefined : postgresDefault(expr, kind);
  const dbDefault = expr === undefined ? undefined : functionDefault(expr, kind);
  return {
    name: String(c.name),
    kind,
    ...extra,
    ...(enumValues === undefined ? {} : { enumValues }),
    notNull: c.notnull === true,
    ...(dflt === undefined ? {} : { default: dflt }),
    ...(dbDefault === undefined ? {} : { dbDefault }),
    auto: c.identity === "d" || c.identity === "a",
  };
}

const POSTGRES_KINDS: Readonly<Record<string, FieldKind>> = {
  integer: "int",
  smallint: "smallint",
  bigint: "bigint",
  text: "text",
  boolean: "boolean",
  "double precision": "float",
  real: "float",
  "timestamp with time zone": "datetime",
  date: "date",
  "time without time zone": "time",
  uuid: "uuid",
  jsonb: "json",
  json: "json",
  bytea: "binary",
};

/** `'draft'::character varying`, `false`, `(-1)`, `12.50`, `'{"a":1}'::jsonb` → a literal. */
function postgresDefault(expr: string, kind: FieldKind): LiteralValue | undefined {
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s]+(?:\(\d+(?:,\d+)?\))?)?$/.exec(expr);
  if (quoted !== null) {
    const text = quoted[1]!.replace(/''/g, "'");
    if (kind === "json") return JSON.parse(text) as LiteralValue;
    if (kind === "datetime") return isoTimestamp(text);
    if (
      kind === "int" ||
      kind === "smallint" ||
      kind === "bigint" ||
      kind === "intEnum" ||
      kind === "float"
    )
      return Number(text);
    return text;
  }
  if (expr === "true" || expr === "false") return expr === "true";
  if (expr === "NULL" || expr.startsWith("NULL::")) return null;
  const number = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[\w\s]+)?$/.exec(expr);
  if (number !== null) return kind === "decimal" ? number[1]! : Number(number[1]);
  return undefined;
}

/** Postgres' text of a timestamptz (`2024-01-02 03:04:05+00`) as the ISO-8601 a schema default takes. */
function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(
    text,
  );
  if (m === null) return text;
  const date = new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
