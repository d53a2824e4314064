import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

export interface Assignment {
  readonly column: string;
  readonly value: ExpressionNode;
  /** For a decimal column: its scale, so a dialect storing decimals as text can re-canonicalise. */
  readonly decimalPlaces?: number | undefined;
  /**
   * For an integer column written from an expression: its range and name (`Item.small`), so a
   * dialect whose columns hold any integer (SQLite) can refuse what the others would.
   */
  readonly integer?:
    { readonly min: bigint; readonly max: bigint; readonly field: string } | undefined;
}

/** `UPDATE "table" SET … WHERE …`; columns in `where` refer to the table by its name. */
export interface UpdateNode {
  readonly kind: "update";
  readonly table: string;
  readonly set: readonly Assignment[];
  readonly where: ExpressionNode | undefined;
  readonly returning: readonly ExpressionNode[];
}

export function update(parts: Omit<UpdateNode, "kind">): UpdateNode {
  return node({ kind: "update", ...parts });
}
