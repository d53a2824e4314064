/**
 * Integers in arithmetic and in integer fields. Postgres divides an integer by an integer as
 * integers (truncating toward zero, `7 / 2` is 3) and gives a bare parameter the type of the
 * operand beside it, so `F("id").div(2)` divides integers there; SQLite binds every JavaScript
 * number as a REAL and MariaDB's `/` never divides as integers: their compilers ask these
 * questions to compute the same way, Postgres' to bind a fraction beside an integer as a float.
 * An integer field's range and whether an expression may have a fraction decide what `update()`
 * may write into it (query/mutate.ts).
 */
import type { ExpressionNode } from "../ast/node.js";
import type { ParamNode } from "../ast/param.js";
import type { FieldKind } from "../model/meta.js";

const INTEGER_RANGES: Partial<Record<FieldKind, readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  intEnum: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** The values an integer field of `kind` holds, or undefined for a kind that is no integer. */
export function integerRange(kind: FieldKind): readonly [bigint, bigint] | undefined {
  return INTEGER_RANGES[kind];
}

/**
 * An integer column, arithmetic of integers (which every database keeps integer, division
 * included), or a whole number bound.
 */
export function isIntegerOperand(node: ExpressionNode): boolean {
  if (node.kind === "column") return isIntegerKind(node.fieldKind);
  if (node.kind === "param") return isWholeNumber(node.value);
  if (node.kind === "arithmetic")
    return isIntegerOperand(node.left) && isIntegerOperand(node.right);
  return false;
}

/** Whether a field of `kind` holds integers only. */
export function isIntegerKind(kind: FieldKind): boolean {
  return INTEGER_RANGES[kind] !== undefined;
}

/**
 * A float or decimal column, a bound fraction, or arithmetic reading one: a value that may have
 * a fraction, which an integer field cannot hold (Postgres and MariaDB would round it, SQLite
 * would store the REAL in the integer column).
 */
export function mayHaveFraction(node: ExpressionNode): boolean {
  if (node.kind === "column") return node.fieldKind === "float" || node.fieldKind === "decimal";
  if (node.kind === "param") return isFractionParam(node);
  if (node.kind === "arithmetic") return mayHaveFraction(node.left) || mayHaveFraction(node.right);
  return false;
}

/** A bound number with a fraction (`2.5`), which Postgres would read as an integer beside one. */
export function isFractionParam(node: ExpressionNode): node is ParamNode {
  return (
    node.kind === "param" &&
    typeof node.value === "number" &&
    Number.isFinite(node.value) &&
    !Number.isInteger(node.value)
  );
}

/** A bound number or bigint that is not zero: a divisor that needs no test. */
export function isNonZeroNumberParam(node: ExpressionNode): node is ParamNode {
  return (
    node.kind === "param" &&
    ((typeof node.value === "number" && Number.isFinite(node.value) && node.value !== 0) ||
      (typeof node.value === "bigint" && node.value !== 0n))
  );
}

function isWholeNumber(value: unknown): boolean {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}
