/**
 * `Model.raw(sql, params)`, `YaraOrm.query` and `YaraOrm.execute` skip the per-field encoders, so its parameters are checked here, the
 * same way for every driver: an array of bindable values (null, number, bigint, string,
 * boolean, Uint8Array, or an array of those for a Postgres array parameter). Anything else —
 * `undefined`, a hole in a sparse array, an object, a Date, a symbol, a function — is a
 * ValidationError naming the parameter, where drivers would otherwise each do something else
 * (bind "[object Object]", throw a TypeError, or send nothing).
 */
import type { Param } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { countPlaceholders } from "../dialect/mysql/placeholders.js";
import { hasLoneSurrogate } from "../dialect/encode.js";
import { ValidationError } from "../errors.js";
import { describeValue } from "../query/plain-object.js";

export function checkRawParams(model: string, sql: unknown, params: unknown): readonly Param[] {
  return checkSqlParams(`${model}.raw`, model, sql, params);
}

/**
 * The check behind checkRawParams, for any caller: `what` names it in messages
 * (`"Book.raw"`, `"YaraOrm.query"`), `model` is the ValidationError's model, if any.
 */
export function checkSqlParams(
  what: string,
  model: string | undefined,
  sql: unknown,
  params: unknown,
): readonly Param[] {
  const fail = (why: string): never => {
    throw new ValidationError(`${what}: ${why}`, model, undefined);
  };
  if (typeof sql !== "string") fail(`the SQL must be a string, got ${describeValue(sql)}`);
  if (!Array.isArray(params)) fail(`the parameters must be an array, got ${describeValue(params)}`);
  const check = (p: unknown, where: string): void => {
    switch (typeof p) {
      case "string":
        if (hasLoneSurrogate(p))
          fail(`${where} contains a lone UTF-16 surrogate (not valid Unicode)`);
        return;
      case "number":
      case "bigint":
      case "boolean":
        return;
      case "object":
        if (p === null || p instanceof Uint8Array) return;
        if (Array.isArray(p)) {
          for (let i = 0; i < p.length; i++) {
            if (!(i in p)) fail(`${where} has a hole at index ${i} (a sparse array)`);
            check(p[i], `${where}[${i}]`);
          }
          return;
        }
        break;
    }
    fail(
      `${where} is ${describeValue(p)}; bind null, a number, bigint, string, boolean, ` +
        `Uint8Array or an array of those` +
        (p instanceof Date ? " (pass a Date as date.toISOString())" : ""),
    );
  };
  const list = params as unknown[];
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) fail(`parameter ${i + 1} is missing (a hole in a sparse array)`);
    check(list[i], `parameter ${i + 1}`);
  }
  return list as Param[];
}

/**
 * A ValidationError when `sql` has not one placeholder per parameter, where the database would
 * not say so itself: MariaDB (dialect/mysql/placeholders.ts). Postgres and SQLite refuse a
 * statement given too many or too few values on their own.
 */
export function checkPlaceholders(
  what: string,
  model: string | undefined,
  dialect: Dialect,
  sql: string,
  params: readonly Param[],
): void {
  if (dialect.name !== "mysql") return;
  const placeholders = countPlaceholders(sql);
  if (placeholders !== params.length)
    throw new ValidationError(
      `${what}: the SQL has ${placeholders} placeholder(s) (?) but ${params.length} parameter(s) were given`,
      model,
      undefined,
    );
}
