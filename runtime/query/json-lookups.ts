/**
 * Filter keys on JSON fields, parsed and checked before any SQL exists:
 * `data__contains`, `data__contained_by`, `data__has_key`, `data__has_keys`,
 * `data__has_any_keys` on the document, and paths `data__a__b`, `data__tags__0` with
 * `exact` (the default), `gt`, `gte`, `lt`, `lte` or `isnull` at the end. A segment of digits
 * is an array index, anything else an object key; keys must match KEY (they are written into
 * SQLite's bound JSON path `$."a"[0]`, whose syntax has no escapes).
 */
import type { JsonScalar, JsonStep } from "../ast/json.js";

/** Letters, digits, `_`, `-` and spaces: what a key of a path or filter key may hold. */
const KEY = /^[\p{L}\p{N}_\- ]+$/u;
const INDEX = /^\d{1,9}$/;

export const DOCUMENT_LOOKUPS: ReadonlySet<string> = new Set([
  "contains",
  "contained_by",
  "has_key",
  "has_keys",
  "has_any_keys",
]);
export const PATH_LOOKUPS: ReadonlySet<string> = new Set([
  "exact",
  "gt",
  "gte",
  "lt",
  "lte",
  "isnull",
]);

/** How deep a contains / contained_by pattern may nest (each level is a subquery on SQLite). */
const MAX_DEPTH = 16;

/** The steps of a path, or why a segment is refused. */
export function jsonSteps(segments: readonly string[]): JsonStep[] | string {
  const steps: JsonStep[] = [];
  for (const s of segments) {
    if (INDEX.test(s)) steps.push(Number(s));
    else if (KEY.test(s)) steps.push(s);
    else return `the JSON key "${s}" may hold only letters, digits, "_", "-" and spaces`;
  }
  return steps;
}

/** Why `value` cannot be compared with a path by `lookup`, or undefined. */
export function pathValueProblem(lookup: string, value: unknown): string | undefined {
  if (lookup === "isnull")
    return typeof value === "boolean" ? undefined : "isnull expects true or false";
  if (lookup === "exact") {
    if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
    if (typeof value === "number" && Number.isFinite(value)) return undefined;
    return "a JSON path compares with a string, a finite number, a boolean or null (use contains for objects and arrays)";
  }
  if (typeof value === "string") return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  return `${lookup} on a JSON path expects a string or a finite number`;
}

/** A JSON value's nesting depth (0 for a scalar). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const items = Array.isArray(value) ? value : Object.values(value as object);
  return 1 + items.reduce((d: number, v: unknown) => Math.max(d, depthOf(v)), 0);
}

/** Why a contains / contained_by pattern (already plain JSON) is refused, or undefined. */
export function patternProblem(value: unknown): string | undefined {
  return depthOf(value) > MAX_DEPTH ? `the pattern nests more than ${MAX_DEPTH} deep` : undefined;
}

/** The keys of has_keys / has_any_keys, deduplicated, or why they are refused. */
export function keyList(lookup: string, value: unknown): string[] | string {
  if (!Array.isArray(value) || value.length === 0)
    return `${lookup} expects a non-empty array of strings`;
  const keys: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const k: unknown = value[i];
    if (typeof k !== "string") return `${lookup} expects a non-empty array of strings`;
    if (k.includes("\0")) return `${lookup}: a key may not contain NUL`;
    if (!keys.includes(k)) keys.push(k);
  }
  return keys;
}

export type { JsonScalar };
