/**
 * The one rule for every object a user hands the query API (filters, create/update data,
 * defaults, annotations): it must be a plain object whose keys are all enumerable strings.
 *
 * Anything else — a Map, a Date, a class instance, an object with a prototype of its own
 * (`Object.create({ name })`, `{ __proto__: { name } }`), an object whose keys are
 * non-enumerable or symbols — would be read by `Object.entries` as fewer keys than the user
 * meant, and a filter with its conditions gone matches every row: `filter(x).delete()` would
 * empty the table. So those are a ValidationError before any SQL exists.
 */
import { ValidationError } from "../errors.js";

/** Whether `value` is an object literal (or `Object.create(null)`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` as a record when it is a plain object with only enumerable string keys; else a
 * ValidationError naming `model`, what the object was for (`what`: "a filter", "create() data")
 * and what was wrong with it.
 */
export function plainObject(
  model: string,
  what: string,
  value: unknown,
  alternatives = "a plain object",
): Record<string, unknown> {
  const problem = plainObjectProblem(value);
  if (problem !== undefined) {
    throw new ValidationError(
      `${model}: ${what} must be ${alternatives}, not ${problem}`,
      model,
      undefined,
    );
  }
  return value as Record<string, unknown>;
}

/** What makes `value` unusable as a plain object, or undefined when it is one. */
function plainObjectProblem(value: unknown): string | undefined {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object")
    return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
  if (!isPlainObject(value)) {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } };
    const name = proto.constructor?.name;
    if (
      typeof name === "string" &&
      name !== "" &&
      name !== "Object" &&
      proto.constructor !== undefined
    ) {
      const isBuiltin = globalThis[name as keyof typeof globalThis] === proto.constructor;
      return isBuiltin ? `a ${name}` : `an instance of ${name}`;
    }
    return "an object with a prototype of its own (its inherited keys would be ignored)";
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "symbol") return `an object with a symbol key (${String(key)})`;
    if (!Object.prototype.propertyIsEnumerable.call(value, key))
      return `an object with a non-enumerable key "${key}"`;
  }
  return undefined;
}
