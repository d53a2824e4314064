/**
 * `Cast(x, type)`: a value converted to `"integer"`, `"bigint"`, `"float"`, `"text"` or
 * `"decimal(digits, places)"`, with the same result on both databases:
 * - to integer from a float or decimal: toward zero (`-2.7` → `-2`);
 * - to a decimal: rounded half away from zero to `places` (Postgres NUMERIC(digits, places); a
 *   value with more whole digits is a DatabaseError on Postgres only, so keep within `digits`);
 * - to text from integers, decimals, text and UUIDs only: floats, booleans and dates print
 *   differently on each database, so those casts are a ValidationError, as are casts from text
 *   to numbers (Postgres refuses what SQLite reads as 0).
 */
import { builtin } from "../ast/builtin.js";
import { cast } from "../ast/cast.js";
import type { ExpressionNode } from "../ast/node.js";
import { ValidationError } from "../errors.js";
import type { FieldKind, ModelMeta } from "../model/meta.js";
import { Expression, type ExpressionTerm } from "./f.js";
import type { TermContext, TermSpec } from "./term-spec.js";

export type CastType = "integer" | "bigint" | "float" | "text" | `decimal(${number}, ${number})`;
/** The value type of a cast to `T`. */
export type CastValue<T extends CastType> = T extends "integer" | "float"
  ? number
  : T extends "bigint"
    ? bigint
    : string;

export interface CastTarget {
  readonly kind: FieldKind;
  readonly digits?: number;
  readonly places?: number;
}

const NUMBERS = new Set<FieldKind>(["int", "smallint", "bigint", "intEnum", "float", "decimal"]);
const TEXTUAL = new Set<FieldKind>([
  "int",
  "smallint",
  "bigint",
  "intEnum",
  "decimal",
  "char",
  "text",
  "charEnum",
  "uuid",
]);

/** The kind (and decimal size) a CastType names; anything else is a ValidationError. */
export function castTarget(type: unknown): CastTarget {
  switch (type) {
    case "integer":
      return { kind: "int" };
    case "bigint":
      return { kind: "bigint" };
    case "float":
      return { kind: "float" };
    case "text":
      return { kind: "text" };
  }
  const m = typeof type === "string" ? /^decimal\((\d{1,4}), ?(\d{1,4})\)$/.exec(type) : null;
  const digits = m ? Number(m[1]) : 0;
  const places = m ? Number(m[2]) : 0;
  if (!m || digits < 1 || digits > 1000 || places > digits)
    throw new ValidationError(
      `Cast(): the type must be "integer", "bigint", "float", "text" or "decimal(digits, places)" with 0 <= places <= digits <= 1000, not ${JSON.stringify(type)}`,
      undefined,
      undefined,
    );
  return { kind: "decimal", digits, places };
}

class CastSpec implements TermSpec {
  readonly name = "Cast";
  readonly children: readonly ExpressionTerm[];
  constructor(
    readonly operand: ExpressionTerm,
    readonly target: CastTarget,
  ) {
    this.children = [operand];
  }

  resultKind(): FieldKind {
    return this.target.kind;
  }

  build(ctx: TermContext): ExpressionNode {
    const from = ctx.kindOf(this.operand);
    const to = this.target.kind;
    const ok =
      to === "text"
        ? TEXTUAL.has(from)
        : NUMBERS.has(from) || (from === "boolean" && to !== "decimal");
    if (!ok)
      throw new ValidationError(
        `${ctx.scope.model.name}: Cast() from a ${from} value to ${to} differs between the databases; not supported`,
        ctx.scope.model.name,
        undefined,
      );
    const operand = ctx.node(this.operand);
    const integer = to === "int" || to === "bigint";
    const value =
      integer && (from === "float" || from === "decimal") ? builtin("trunc", [operand]) : operand;
    return cast(value, to, this.target.digits, this.target.places);
  }
}

/** `x` (a field path or an expression) converted to `type`; see above for what is allowed. */
export function Cast<T extends CastType>(
  x: string | Expression<unknown>,
  type: T,
): Expression<CastValue<T> | null> {
  const term: ExpressionTerm = typeof x === "string" ? { kind: "field", name: x } : x.term;
  return new Expression({ kind: "spec", spec: new CastSpec(term, castTarget(type)) });
}
