/**
 * JSON tests on SQLite (JSON text; see ast/json.ts), meaning what the jsonb operators of
 * postgres-json.ts mean. A path is one bound JSON path (`$."a"[0]`, keys checked by
 * query/json-lookups.ts); a scalar is compared only with a value of its own JSON type
 * (json_type), as jsonb equality does. Containment is spelt out from the pattern, which the
 * query holds: nested `json_each` subqueries, one per object key or array element, whose
 * keys and scalars are bound; descending into an element is guarded by its type (CASE), as
 * json_each of a plain string element would be malformed JSON.
 */
import type { JsonNode, JsonScalar } from "../../ast/json.js";
import type { SqlWriter } from "../../compiler/sql-writer.js";

const ORDER = { gt: ">", gte: ">=", lt: "<", lte: "<=", exact: "=" } as const;

/** A JSON value in SQL: its JSON text (objects and arrays), json_type name and SQL atom. */
interface Source {
  readonly json: string;
  readonly type: string;
  readonly atom: string;
}

/** A path as SQLite writes it: `$`, `."key"` per key, `[i]` per index. */
export function sqlitePath(path: JsonNode["path"]): string {
  return `$${path.map((s) => (typeof s === "number" ? `[${s}]` : `."${s}"`)).join("")}`;
}

function scalarTest(
  w: SqlWriter,
  src: Source,
  value: JsonScalar,
  op: keyof typeof ORDER = "exact",
): string {
  if (value === null) return `${src.type} = 'null'`;
  const types =
    typeof value === "boolean"
      ? "('true', 'false')"
      : typeof value === "number"
        ? "('integer', 'real')"
        : "('text')";
  const bound = w.bind(typeof value === "boolean" ? Number(value) : value);
  return `(${src.type} IN ${types} AND ${src.atom} ${ORDER[op]} ${bound})`;
}

function isScalar(value: unknown): value is JsonScalar {
  return value === null || typeof value !== "object";
}

function element(depth: number): { alias: string; src: Source } {
  const alias = `"j${depth}"`;
  return {
    alias,
    src: { json: `${alias}."value"`, type: `${alias}."type"`, atom: `${alias}."atom"` },
  };
}

/** SQL true when the value of `src` contains `pattern` (jsonb `@>`). */
function contains(w: SqlWriter, src: Source, pattern: unknown, depth: number): string {
  if (isScalar(pattern)) {
    const own = scalarTest(w, src, pattern);
    if (depth > 0) return own;
    // At the top only, an array contains a scalar it holds (`'["a"]' @> '"a"'`).
    const { alias, src: e } = element(depth);
    return `(${own} OR CASE WHEN ${src.type} = 'array' THEN EXISTS (SELECT 1 FROM json_each(${src.json}) AS ${alias} WHERE ${scalarTest(w, e, pattern)}) ELSE 0 END)`;
  }
  const { alias, src: e } = element(depth);
  const each = (condition: () => string): string =>
    `EXISTS (SELECT 1 FROM json_each(${src.json}) AS ${alias} WHERE ${condition()})`;
  const parts = Array.isArray(pattern)
    ? pattern.map((item: unknown) => each(() => contains(w, e, item, depth + 1)))
    : Object.entries(pattern as object).map(([key, value]) =>
        each(() => `${alias}."key" = ${w.bind(key)} AND ${contains(w, e, value, depth + 1)}`),
      );
  const type = Array.isArray(pattern) ? "array" : "object";
  return `CASE WHEN ${src.type} = '${type}' THEN (${parts.length > 0 ? parts.join(" AND ") : "1"}) ELSE 0 END`;
}

/** SQL true when the value of `src` is contained in `pattern` (jsonb `<@`). */
function containedBy(w: SqlWriter, src: Source, pattern: unknown, depth: number): string {
  if (isScalar(pattern)) return scalarTest(w, src, pattern);
  const { alias, src: e } = element(depth);
  const alternatives = Array.isArray(pattern)
    ? pattern.map((item: unknown) => containedBy(w, e, item, depth + 1))
    : Object.entries(pattern as object).map(
        ([key, value]) =>
          `(${alias}."key" = ${w.bind(key)} AND ${containedBy(w, e, value, depth + 1)})`,
      );
  const any = alternatives.length > 0 ? `(${alternatives.join(" OR ")})` : "0";
  const type = Array.isArray(pattern) ? "array" : "object";
  const structural = `CASE WHEN ${src.type} = '${type}' THEN NOT EXISTS (SELECT 1 FROM json_each(${src.json}) AS ${alias} WHERE NOT COALESCE(${any}, 0)) ELSE 0 END`;
  const scalars = Array.isArray(pattern) && depth === 0 ? pattern.filter(isScalar) : [];
  if (scalars.length === 0) return structural;
  // At the top only, a scalar is contained in an array that holds it (`'"a"' <@ '["a"]'`).
  return `(${structural} OR ${scalars.map((s) => scalarTest(w, src, s)).join(" OR ")})`;
}

export function sqliteJson(node: JsonNode, w: SqlWriter): string {
  const doc = w.expr(node.operand);
  const top: Source = { json: doc, type: `json_type(${doc})`, atom: `json_extract(${doc}, '$')` };
  const at = (): Source => {
    const path = w.bind(sqlitePath(node.path));
    return { json: doc, type: `json_type(${doc}, ${path})`, atom: "" };
  };
  switch (node.test) {
    case "exact":
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const value = node.value as JsonScalar;
      if (value === null) return `${at().type} = 'null'`;
      // json_type and json_extract each take the path: bound twice, in text order.
      const type = at().type;
      const atom = `json_extract(${doc}, ${w.bind(sqlitePath(node.path))})`;
      return scalarTest(w, { json: doc, type, atom }, value, node.test);
    }
    case "isnull":
      return `${at().type} IS NULL`;
    case "not_isnull":
      return `${at().type} IS NOT NULL`;
    case "contains":
      return contains(w, top, node.value, 0);
    case "contained_by":
      return containedBy(w, top, node.value, 0);
    case "has_key":
      return `EXISTS (SELECT 1 FROM json_each(${doc}) AS "j0" WHERE "j0"."key" = ${w.bind(node.value as string)})`;
    case "has_keys": {
      const keys = JSON.stringify(node.value);
      return `(SELECT count(*) FROM json_each(${doc}) AS "j0" WHERE "j0"."key" IN (SELECT value FROM json_each(${w.bind(keys)}))) = json_array_length(${w.bind(keys)})`;
    }
    case "has_any_keys":
      return `EXISTS (SELECT 1 FROM json_each(${doc}) AS "j0" WHERE "j0"."key" IN (SELECT value FROM json_each(${w.bind(JSON.stringify(node.value))})))`;
  }
}
