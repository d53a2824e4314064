/**
 * Custom field validators: a schema names them (`validators: ["isbn"]`, read without running the
 * file, so it cannot hold a function) and the application registers the functions under those
 * names before the first write, through the generated client's `registerValidators({ isbn })`,
 * typed so that every name the schema uses must be given. `checkValue` (field-checks.ts) runs
 * them after the field's kind and built-in validators, on every write path and in the generated
 * zod schemas, so a refusal is the same `ValidationError` ("Book.isbn: …") as a built-in one.
 * A named validator nobody registered is a `ConfigurationError` at the first value it should
 * check, naming the validator and the model.
 */
import { ConfigurationError } from "../errors.js";

/**
 * A custom validator: gets the value being written (already of the field's kind, never null)
 * and returns why it is refused, completing "Book.isbn: …", or `undefined` to accept it. It runs
 * synchronously, before any SQL.
 */
export type ValidatorFunction<V> = (value: V) => string | undefined;

// `never` parameters: a function of any value type may be registered under a name.
type AnyValidator = ValidatorFunction<never>;

const registered = new Map<string, (value: unknown) => unknown>();

/**
 * Registers validators by the names the schema gives them; a name registered again is replaced.
 * The generated client exports a typed wrapper: `registerValidators({ isbn: (v: string) => … })`.
 */
export function registerValidators(validators: Readonly<Record<string, AnyValidator>>): void {
  for (const [name, fn] of Object.entries(validators)) {
    if (typeof fn !== "function")
      throw new ConfigurationError(
        `validator "${name}" must be a function (value) => string | undefined, not ${fn === null ? "null" : typeof fn}`,
      );
    registered.set(name, fn as (value: unknown) => unknown);
  }
}

/**
 * A validator the schema names that was never registered. Thrown as it is from a generated zod
 * schema used on its own; the runtime's write paths throw `error(where)`, which names the model.
 */
export class UnregisteredValidator extends ConfigurationError {
  constructor(
    readonly validator: string,
    where?: string,
  ) {
    const key = /^[A-Za-z_$][\w$]*$/.test(validator) ? validator : JSON.stringify(validator);
    super(
      `${where === undefined ? "" : `${where}: `}validator "${validator}" is not registered; call registerValidators({ ${key}: (value) => … }) from the generated client before the first write`,
    );
  }

  /** The same error for a value of `where` ("Book.isbn", or "Book" when the field is not known). */
  error(where: string): UnregisteredValidator {
    return new UnregisteredValidator(this.validator, where);
  }
}

/**
 * Why `value` breaks the first of the named validators that refuses it, undefined when none
 * does, or an `UnregisteredValidator` for a name nobody registered.
 */
export function customProblem(
  names: readonly string[],
  value: unknown,
): string | UnregisteredValidator | undefined {
  for (const name of names) {
    const fn = registered.get(name);
    if (fn === undefined) return new UnregisteredValidator(name);
    const why = fn(value);
    if (why === undefined) continue;
    if (typeof why === "string") return why === "" ? `refused by validator "${name}"` : why;
    // An async validator's rejection would otherwise be unhandled (and could end the process).
    if (why instanceof Promise) why.catch(() => {});
    throw new ConfigurationError(
      `validator "${name}" returned ${why instanceof Promise ? "a Promise (validators run synchronously, before any SQL)" : `a ${why === null ? "null" : typeof why}`}; a validator returns a string saying why the value is refused, or undefined`,
    );
  }
  return undefined;
}
