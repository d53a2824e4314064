import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** One step of a path into a JSON document: an object key or an array index. */
export type JsonStep = string | number;

/** A JSON scalar a path is compared with (JSON null included). */
export type JsonScalar = string | number | boolean | null;

/**
 * A test on a JSON column (`operand`), the same on every dialect:
 * - `exact`, `gt`, `gte`, `lt`, `lte` on the value at `path` (a scalar of the same JSON type;
 *   `null` is JSON null: the key is there and holds null);
 * - `isnull` / `not_isnull` at `path`: whether nothing is there (a missing key or index);
 * - `contains` / `contained_by` with the JSON value `value` (Postgres' `@>` / `<@`);
 * - `has_key` (`value` a key), `has_keys` / `has_any_keys` (`value` a list of keys): keys of
 *   the top-level object.
 * The values are bound by the compiler; path keys are bound on Postgres and, on SQLite, are
 * written into a bound JSON path after query/json-lookups.ts checked them against a strict pattern.
 */
export interface JsonNode {
  readonly kind: "json";
  readonly test:
    | "exact"
    | "gt"
    | "gte"
    | "lt"
    | "lte"
    | "isnull"
    | "not_isnull"
    | "contains"
    | "contained_by"
    | "has_key"
    | "has_keys"
    | "has_any_keys";
  readonly operand: ExpressionNode;
  readonly path: readonly JsonStep[];
  readonly value: unknown;
}

export function json(
  test: JsonNode["test"],
  operand: ExpressionNode,
  path: readonly JsonStep[],
  value: unknown,
): JsonNode {
  return node({ kind: "json", test, operand, path: Object.freeze([...path]), value });
}
