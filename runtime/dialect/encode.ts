/**
 * Encodes every value bound to a column, by field kind, following the storage table in
 * docs/design.md, so every driver of a dialect stores the same bytes. What a kind accepts is
 * decided by `field-checks.ts` (shared with the generated zod schemas); this file adds NOT NULL,
 * and the dialect (`Dialect.store`) the limits of one database (NUL in Postgres text) and its
 * storage form (SQLite booleans).
 * A refused value is a `ValidationError` naming the model and field and never containing the value.
 */
import type { Param } from "../driver/driver.js";
import { ValidationError } from "../errors.js";
import type { FieldMeta } from "../model/meta.js";
import type { Dialect } from "./dialect.js";
import { checkDecimal, checkValue, isRejected, type CheckMode } from "./field-checks.js";

export { hasLoneSurrogate } from "./field-checks.js";

export interface EncodeContext {
  /** Undefined when only validating (before the dialect is known). */
  readonly dialect: Dialect | undefined;
  readonly model: string;
  /** `write` also enforces sizes; filter values may be anything the kind allows. */
  readonly mode: CheckMode;
}

function fail(ctx: EncodeContext, field: FieldMeta, why: string): never {
  throw new ValidationError(`${ctx.model}.${field.name}: ${why}`, ctx.model, field.name);
}

/** Encodes one value of `field` for `ctx.dialect`. */
export function encodeValue(ctx: EncodeContext, field: FieldMeta, value: unknown): Param {
  if (value === null || value === undefined) {
    if (ctx.mode === "write" && !field.nullable) fail(ctx, field, "may not be null");
    return null;
  }
  const checked = checkValue(field, value, ctx.mode);
  if (isRejected(checked)) {
    if (checked.unregistered) throw checked.unregistered.error(`${ctx.model}.${field.name}`);
    fail(ctx, field, checked.why);
  }
  if (ctx.dialect === undefined) return checked as Param;
  const stored = ctx.dialect.store(field, checked as Param);
  if (isRejected(stored)) fail(ctx, field, stored.why);
  return stored;
}

/**
 * A value `checkValue` accepted (or null) as `dialect` stores it: what `encodeValue` returns
 * for the value it was checked from, without checking it again.
 */
export function storeChecked(
  dialect: Dialect,
  model: string,
  field: FieldMeta,
  checked: Param,
): Param {
  if (checked === null) return null;
  const stored = dialect.store(field, checked);
  if (isRejected(stored))
    throw new ValidationError(`${model}.${field.name}: ${stored.why}`, model, field.name);
  return stored;
}

/**
 * The canonical text of a decimal value of `field` (see `checkDecimal`); a `ValidationError`
 * when it is not one.
 */
export function canonicalDecimal(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  const checked = checkDecimal(field, value, ctx.mode);
  if (isRejected(checked)) fail(ctx, field, checked.why);
  return checked;
}
