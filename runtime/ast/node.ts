/**
 * The AST every query is built from: plain frozen objects with a string `kind` discriminant, one
 * kind per file in this folder. Builders in `runtime/query/` produce them; the compiler in
 * `runtime/compiler/` visits them. Nodes never hold SQL text except `RawNode`, whose text comes
 * from generated code (column lists) and never from user input, and `RawExpressionNode`, the
 * application's own `RawSQL(sql, params)` (its values bound like every other).
 */
import type { AndNode } from "./and.js";
import type { ArithmeticNode } from "./arithmetic.js";
import type { BuiltinNode } from "./builtin.js";
import type { CaseNode } from "./case.js";
import type { CastNode } from "./cast.js";
import type { ColumnNode } from "./column.js";
import type { ComparisonNode } from "./comparison.js";
import type { ExistsNode } from "./exists.js";
import type { ExtractNode } from "./extract.js";
import type { FunctionNode } from "./function.js";
import type { InNode } from "./in.js";
import type { InQueryNode } from "./in-query.js";
import type { IsNullNode } from "./is-null.js";
import type { JsonNode } from "./json.js";
import type { LiteralNode } from "./literal.js";
import type { MatchNode } from "./match.js";
import type { NotNode } from "./not.js";
import type { OrNode } from "./or.js";
import type { ParamNode } from "./param.js";
import type { RawNode } from "./raw.js";
import type { RawExpressionNode } from "./raw-expression.js";
import type { SubqueryNode } from "./subquery.js";

/** Anything that yields a value (or a boolean) inside a statement. */
export type ExpressionNode =
  | AndNode
  | ArithmeticNode
  | BuiltinNode
  | CaseNode
  | CastNode
  | ColumnNode
  | ComparisonNode
  | ExistsNode
  | ExtractNode
  | FunctionNode
  | InNode
  | InQueryNode
  | IsNullNode
  | JsonNode
  | LiteralNode
  | MatchNode
  | NotNode
  | OrNode
  | ParamNode
  | RawNode
  | RawExpressionNode
  | SubqueryNode;

/** Freezes a node; every node constructor goes through here. */
export function node<T extends { readonly kind: string }>(value: T): T {
  return Object.freeze(value);
}
