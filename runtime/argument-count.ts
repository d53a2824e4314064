/**
 * Arguments the public API does not take are refused, never dropped. TypeScript refuses them
 * already; from JavaScript, or past a cast, an ignored argument would change which rows a
 * statement reads or writes without a word: a second filter object (Django ANDs them), Prisma's
 * `count({ where })`, `delete({ id: 5 })` (which deleted every row), Tortoise's
 * `create(data, { using_db })` (which wrote on the default connection). Each method compares
 * `arguments.length` with what it takes, which costs nothing measurable, and builds the error
 * here only when there are too many.
 */
import { ValidationError } from "./errors.js";

/** What to write instead, by the kind of argument the caller most likely meant. */
export const INSTEAD = {
  /** filter(), exclude(), get(), getOrNone() given several conditions. */
  condition: "put every condition in one object, or combine them with Q.and(…) or Q.or(…)",
  /** count(), exists(), first(), last(), delete() given a condition. */
  noCondition: "filter the rows first, as in {model}.filter({ … }).{method}",
  /** create(), bulkCreate(), getOrCreate(), updateOrCreate(), update() given options. */
  connection:
    "to use a named connection call {model}.using(name) first; inside inTransaction() the statement joins the transaction by itself",
} as const;

/** A kind of argument given in excess, naming the advice INSTEAD has for it. */
export type Instead = keyof typeof INSTEAD;

/**
 * The ValidationError for `given` arguments to `method` (as `"filter()"`) of `model`, which
 * takes at most `most`; `instead` names the advice on what to write (INSTEAD, with `{model}` and
 * `{method}` filled in).
 */
export function tooManyArguments(
  model: string,
  method: string,
  given: number,
  most: number,
  instead: Instead,
): ValidationError {
  const takes = most === 0 ? "no argument" : most === 1 ? "one argument" : `${most} arguments`;
  const hint = INSTEAD[instead].replace("{model}", model).replace("{method}", method);
  return new ValidationError(
    `${model}: ${method} takes ${takes} and was given ${given}: ${hint}`,
    model,
    undefined,
  );
}
