/**
 * JSON tests on Postgres (jsonb; see ast/json.ts). A path is a chain of `->` steps, each key
 * or index bound (`-> CAST($1 AS TEXT)`, `-> CAST($2 AS INTEGER)`), so a key never meets an
 * array nor an index an object, as on SQLite; an index applies to arrays only (`-> 0` of a
 * scalar would be the scalar). Placeholders are numbered, so a repeated step reuses its `$n`. Comparisons first test the JSON type (jsonb
 * orders values of different types, SQLite's json_extract does not); has_key and friends
 * test the document is an object (`?` also finds strings in a top-level array).
 */
import type { JsonNode } from "../../ast/json.js";
import type { SqlWriter } from "../../compiler/sql-writer.js";

const ORDER = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

export function postgresJson(node: JsonNode, w: SqlWriter): string {
  const doc = w.expr(node.operand);
  const at = (): string => {
    let sql = doc;
    for (const step of node.path) {
      if (typeof step === "string") sql = `${sql} -> CAST(${w.bind(step)} AS TEXT)`;
      // `-> 0` on a scalar returns the scalar itself (jsonb keeps a scalar as a one-element
      // array): only an array has elements, as on SQLite.
      else
        sql = `CASE WHEN jsonb_typeof(${sql}) = 'array' THEN ${sql} -> CAST(${w.bind(step)} AS INTEGER) END`;
    }
    return `(${sql})`;
  };
  const jsonb = (value: unknown): string => `CAST(${w.bind(JSON.stringify(value))} AS JSONB)`;
  switch (node.test) {
    case "exact":
      return `${at()} = ${jsonb(node.value)}`;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const type = typeof node.value === "number" ? "number" : "string";
      return `(jsonb_typeof(${at()}) = '${type}' AND ${at()} ${ORDER[node.test]} ${jsonb(node.value)})`;
    }
    case "isnull":
      return `${at()} IS NULL`;
    case "not_isnull":
      return `${at()} IS NOT NULL`;
    case "contains":
      return `${doc} @> ${jsonb(node.value)}`;
    case "contained_by":
      return `${doc} <@ ${jsonb(node.value)}`;
    case "has_key":
      return `(jsonb_typeof(${doc}) = 'object' AND ${doc} ? ${w.bind(node.value as string)})`;
    case "has_keys":
    case "has_any_keys": {
      const op = node.test === "has_keys" ? "?&" : "?|";
      const keys = w.bind(node.value as string[]);
      return `(jsonb_typeof(${doc}) = 'object' AND ${doc} ${op} CAST(${keys} AS TEXT[]))`;
    }
  }
}
