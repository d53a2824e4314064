/**
 * Options objects of the public API are checked, never silently ignored: an option yara does not
 * know (a misspelling such as `batchsize`, a Django or Tortoise name) is a ValidationError naming
 * it and the options there are.
 */
import { ValidationError } from "./errors.js";

/** Throws unless `options` is undefined or a plain object whose keys are all in `known`. */
export function checkOptions(
  model: string | undefined,
  what: string,
  options: unknown,
  known: readonly string[],
): void {
  if (options === undefined) return;
  const prefix = model === undefined ? what : `${model}: ${what}`;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new ValidationError(`${prefix} options must be an object`, model, undefined);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const list = known.map((k) => `"${k}"`).join(", ");
      throw new ValidationError(
        `${prefix} has no option "${key}" (${known.length === 1 ? "its option is" : "its options are"} ${list})`,
        model,
        undefined,
      );
    }
  }
}
