/**
 * SQLite: `?` placeholders, `IN (SELECT value FROM json_each(?))` for IN (one parameter, so
 * any list length works), `instr`/`substr` for case-sensitive substring lookups and
 * `lower(…) LIKE lower(…)` for the insensitive ones, strftime for date parts. Decimals are
 * stored as canonical text, so ordering comparisons and arithmetic cast them to REAL.
 */
import type { ComparisonNode, ComparisonOp } from "../ast/comparison.js";
import type { ExtractNode } from "../ast/extract.js";
import type { FunctionNode } from "../ast/function.js";
import type { InNode } from "../ast/in.js";
import type { ExpressionNode } from "../ast/node.js";
import type { OrderNode } from "../ast/order.js";
import type { Assignment } from "../ast/update.js";
import { escapeLike, QueryCompiler } from "../compiler/compiler.js";
import type { Param } from "../driver/driver.js";

const STRFTIME = { year: "%Y", month: "%m", day: "%d" } as const;

/** JSON text of an IN list; bigints are written exactly (JSON.stringify cannot). */
export function jsonList(values: readonly Param[]): string {
  const parts = values.map((v) => {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "boolean") return v ? "1" : "0";
    if (v instanceof Uint8Array || Array.isArray(v))
      throw new TypeError("IN lists hold scalars only");
    return JSON.stringify(v);
  });
  return `[${parts.join(",")}]`;
}

export class SqliteCompiler extends QueryCompiler {
  readonly dialect = "sqlite" as const;

  protected placeholder(_index: number): string {
    return "?";
  }

  protected distinct(left: string, right: string): string {
    return `${left} IS NOT ${right}`;
  }

  protected inList(node: InNode): string {
    const operand = this.expr(node.operand);
    const list = `(SELECT value FROM json_each(${this.bind(jsonList(node.values))}))`;
    return node.negated
      ? `(${operand} IS NULL OR ${operand} NOT IN ${list})`
      : `${operand} IN ${list}`;
  }

  protected substring(op: ComparisonOp, node: ComparisonNode): string {
    const value = this.patternValue(node);
    if (op === "contains") return `instr(${this.expr(node.left)}, ${this.bind(value)}) > 0`;
    if (op === "startswith") {
      return `substr(${this.expr(node.left)}, 1, length(${this.bind(value)})) = ${this.bind(value)}`;
    }
    if (op === "endswith") {
      const left = this.expr(node.left);
      return `substr(${left}, length(${left}) - length(${this.bind(value)}) + 1) = ${this.bind(value)}`;
    }
    const escaped = escapeLike(value);
    const pattern =
      op === "icontains"
        ? `%${escaped}%`
        : op === "istartswith"
          ? `${escaped}%`
          : op === "iendswith"
            ? `%${escaped}`
            : escaped;
    return `lower(${this.expr(node.left)}) LIKE lower(${this.bind(pattern)}) ESCAPE '\\'`;
  }

  protected extract(node: ExtractNode): string {
    return `CAST(strftime('${STRFTIME[node.part]}', ${this.expr(node.operand)}) AS INTEGER)`;
  }

  protected override limitOffset(limit: number | undefined, offset: number | undefined): string {
    if (limit === undefined && offset !== undefined) return ` LIMIT -1 OFFSET ${this.bind(offset)}`;
    return super.limitOffset(limit, offset);
  }

  protected override ordered(node: ExpressionNode, other: ExpressionNode): string {
    const decimal = isDecimal(node) || isDecimal(other);
    return decimal ? `CAST(${this.expr(node)} AS REAL)` : this.expr(node);
  }

  protected override order(node: OrderNode): string {
    const expr = isDecimal(node.expr)
      ? `CAST(${this.expr(node.expr)} AS REAL)`
      : this.expr(node.expr);
    return `${expr}${node.descending ? " DESC" : " ASC"}`;
  }

  protected override arithmeticOperand(node: ExpressionNode): string {
    return isDecimal(node) ? `CAST(${this.expr(node)} AS REAL)` : this.expr(node);
  }

  protected override call(node: FunctionNode): string {
    const numeric =
      node.name === "sum" || node.name === "avg" || node.name === "min" || node.name === "max";
    if (!numeric || !node.args.some(isDecimal)) return super.call(node);
    const args = node.args.map((a) =>
      isDecimal(a) ? `CAST(${this.expr(a)} AS REAL)` : this.expr(a),
    );
    const sql = `${node.name.toUpperCase()}(${node.distinct ? "DISTINCT " : ""}${args.join(", ")})`;
    if (node.scale === undefined || node.name === "avg") return sql;
    return `(CASE WHEN ${sql} IS NULL THEN NULL ELSE printf('%.${Math.trunc(node.scale)}f', ${sql}) END)`;
  }

  protected override assignment(a: Assignment): string {
    const value = this.expr(a.value);
    if (a.decimalPlaces === undefined || a.value.kind !== "arithmetic") return value;
    return `printf('%.${Math.trunc(a.decimalPlaces)}f', ${value})`;
  }
}

function isDecimal(node: ExpressionNode): boolean {
  return node.kind === "column" && node.fieldKind === "decimal";
}
