/**
 * JSON tests on MariaDB (JSON is LONGTEXT checked by JSON_VALID; see ast/json.ts), meaning what
 * the jsonb operators of postgres/json.ts mean. A path is a chain of JSON_EXTRACT steps, each
 * one bound path (`$."key"` or `$[0]`); an index applies to arrays only (MariaDB's `$[0]` of a
 * scalar is the scalar itself). A scalar is compared only with a value of its own JSON type
 * (JSON_TYPE), strings byte-exact and without PAD SPACE.
 *
 * Containment is spelt out from the pattern, which the query holds, as on SQLite: MariaDB's
 * JSON_CONTAINS looks into nested arrays (`[[[{}]]]` contains `{}` there, not under jsonb's
 * `@>`), so it is not used. Each object key of the pattern is one JSON_EXTRACT, each array
 * element one EXISTS over JSON_TABLE(…, '$[*]'), keys and scalars bound.
 */
import type { JsonNode, JsonScalar } from "../../ast/json.js";
import type { SqlWriter } from "../../compiler/sql-writer.js";

const ORDER = { gt: ">", gte: ">=", lt: "<", lte: "<=", exact: "=" } as const;
const TEXT = "utf8mb4_nopad_bin";

/** `$."key"` for an object key (JSON-quoted), `$[i]` for an array index. */
function stepPath(step: string | number): string {
  return typeof step === "number" ? `$[${step}]` : `$.${JSON.stringify(step)}`;
}

/** SQL of a JSON value; compiled again at each use, so its parameters are bound in text order. */
type Src = () => string;

function scalarTest(
  w: SqlWriter,
  src: Src,
  value: JsonScalar,
  op: keyof typeof ORDER = "exact",
): string {
  if (value === null) return `(JSON_TYPE(${src()}) = 'NULL')`;
  if (typeof value === "boolean")
    return `(JSON_TYPE(${src()}) = 'BOOLEAN' AND JSON_VALUE(${src()}, '$') ${ORDER[op]} ${w.bind(value ? "1" : "0")})`;
  if (typeof value === "number")
    return `(JSON_TYPE(${src()}) IN ('INTEGER', 'DOUBLE') AND CAST(JSON_VALUE(${src()}, '$') AS DOUBLE) ${ORDER[op]} ${w.bind(value)})`;
  return `(JSON_TYPE(${src()}) = 'STRING' AND CONVERT(JSON_VALUE(${src()}, '$') USING utf8mb4) COLLATE ${TEXT} ${ORDER[op]} ${w.bind(value)})`;
}

function isScalar(value: unknown): value is JsonScalar {
  return value === null || typeof value !== "object";
}

/** `EXISTS` an element of the array `src` for which `test` holds. */
function anyElement(src: Src, depth: number, test: (element: Src) => string): string {
  const alias = `"j${depth}"`;
  const element: Src = () => `${alias}."v"`;
  return `EXISTS (SELECT 1 FROM JSON_TABLE(${src()}, '$[*]' COLUMNS ("v" JSON PATH '$')) AS ${alias} WHERE ${test(element)})`;
}

/** The value under `key` of the object `src`. */
function member(w: SqlWriter, src: Src, key: string): Src {
  return () => `JSON_EXTRACT(${src()}, ${w.bind(stepPath(key))})`;
}

/** SQL true when the value of `src` contains `pattern` (jsonb `@>`). */
function contains(w: SqlWriter, src: Src, pattern: unknown, depth: number): string {
  if (isScalar(pattern)) {
    const own = scalarTest(w, src, pattern);
    if (depth > 0) return own;
    // At the top only, an array contains a scalar it holds (`'["a"]' @> '"a"'`).
    return `(${own} OR (JSON_TYPE(${src()}) = 'ARRAY' AND ${anyElement(src, depth, (e) => scalarTest(w, e, pattern))}))`;
  }
  // The type test first: parameters are bound in text order.
  if (Array.isArray(pattern)) {
    const type = `JSON_TYPE(${src()}) = 'ARRAY'`;
    const parts = pattern.map((item: unknown) =>
      anyElement(src, depth, (e) => contains(w, e, item, depth + 1)),
    );
    return `(${type}${parts.map((p) => ` AND ${p}`).join("")})`;
  }
  const type = `JSON_TYPE(${src()}) = 'OBJECT'`;
  const parts = Object.entries(pattern as object).map(([key, value]) => {
    const at = member(w, src, key);
    return `(${at()} IS NOT NULL AND ${contains(w, at, value, depth + 1)})`;
  });
  return `(${type}${parts.map((p) => ` AND ${p}`).join("")})`;
}

/** SQL true when the value of `src` is contained in `pattern` (jsonb `<@`). */
function containedBy(w: SqlWriter, src: Src, pattern: unknown, depth: number): string {
  if (isScalar(pattern)) return scalarTest(w, src, pattern);
  const alias = `"j${depth}"`;
  let structural: string;
  if (Array.isArray(pattern)) {
    const element: Src = () => `${alias}."v"`;
    const any = (): string => {
      const alternatives = pattern.map((item: unknown) => containedBy(w, element, item, depth + 1));
      return alternatives.length > 0 ? `(${alternatives.join(" OR ")})` : "FALSE";
    };
    structural = `(JSON_TYPE(${src()}) = 'ARRAY' AND NOT EXISTS (SELECT 1 FROM JSON_TABLE(${src()}, '$[*]' COLUMNS ("v" JSON PATH '$')) AS ${alias} WHERE NOT COALESCE(${any()}, FALSE)))`;
  } else {
    // Every key of the document is a key of the pattern whose value contains the document's.
    const key = `${alias}."k"`;
    const type = `JSON_TYPE(${src()}) = 'OBJECT'`;
    const keys = `JSON_KEYS(${src()})`;
    const alternatives = Object.entries(pattern as object).map(
      ([k, value]) =>
        `(${key} = ${w.bind(k)} AND ${containedBy(w, () => `JSON_EXTRACT(${src()}, ${w.bind(stepPath(k))})`, value, depth + 1)})`,
    );
    const any = alternatives.length > 0 ? `(${alternatives.join(" OR ")})` : "FALSE";
    structural = `(${type} AND NOT EXISTS (SELECT 1 FROM JSON_TABLE(${keys}, '$[*]' COLUMNS ("k" VARCHAR(16383) COLLATE ${TEXT} PATH '$')) AS ${alias} WHERE NOT COALESCE(${any}, FALSE)))`;
  }
  const scalars = Array.isArray(pattern) && depth === 0 ? pattern.filter(isScalar) : [];
  if (scalars.length === 0) return structural;
  // At the top only, a scalar is contained in an array that holds it (`'"a"' <@ '["a"]'`).
  return `(${structural} OR ${scalars.map((s) => scalarTest(w, src, s)).join(" OR ")})`;
}

export function mysqlJson(node: JsonNode, w: SqlWriter): string {
  const doc: Src = () => w.expr(node.operand);
  /** The value at the node's path, NULL when nothing is there. */
  const at = (steps = node.path.length): string => {
    if (steps === 0) return doc();
    const step = node.path[steps - 1]!;
    if (typeof step === "string")
      return `JSON_EXTRACT(${at(steps - 1)}, ${w.bind(stepPath(step))})`;
    return `(CASE WHEN JSON_TYPE(${at(steps - 1)}) = 'ARRAY' THEN JSON_EXTRACT(${at(steps - 1)}, ${w.bind(stepPath(step))}) END)`;
  };
  switch (node.test) {
    case "exact":
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return `COALESCE(${scalarTest(w, () => at(), node.value as JsonScalar, node.test)}, FALSE)`;
    case "isnull":
      return `${at()} IS NULL`;
    case "not_isnull":
      return `${at()} IS NOT NULL`;
    case "contains":
      return `COALESCE(${contains(w, doc, node.value, 0)}, FALSE)`;
    case "contained_by":
      return `COALESCE(${containedBy(w, doc, node.value, 0)}, FALSE)`;
    case "has_key":
      return `(JSON_TYPE(${doc()}) = 'OBJECT' AND JSON_CONTAINS_PATH(${doc()}, 'one', ${w.bind(stepPath(node.value as string))}))`;
    case "has_keys":
    case "has_any_keys": {
      const keys = node.value as string[];
      if (keys.length === 0) return node.test === "has_keys" ? "TRUE" : "FALSE";
      const mode = node.test === "has_keys" ? "all" : "one";
      const paths = keys.map((k) => w.bind(stepPath(k))).join(", ");
      return `(JSON_TYPE(${doc()}) = 'OBJECT' AND JSON_CONTAINS_PATH(${doc()}, '${mode}', ${paths}))`;
    }
  }
}
