/**
 * How expression kinds beyond F, arithmetic and the classic functions (Case, Subquery, Exists,
 * OuterRef, RawSQL, the text and math functions, Cast) plug into `expressions.ts`: each is an
 * `ExpressionTerm` of kind `"spec"` whose `TermSpec`, defined in the construct's own file, says
 * how it becomes AST, what kind of value it yields and what it reads.
 */
import type { ExpressionNode } from "../ast/node.js";
import type { FieldKind, FieldMeta, ModelMeta } from "../model/meta.js";
import type { ExpressionTerm } from "./f.js";
import type { Scope } from "./scope.js";

/** What a spec's `build` gets: the scope, the field it meets, and the builder of its children. */
export interface TermContext {
  readonly scope: Scope;
  /**
   * The field the expression is assigned to (update), compared with (a filter value), or a
   * stand-in when it is selected or ordered by (`selected` is then true).
   */
  readonly context: FieldMeta;
  readonly selected: boolean;
  /** A child term as AST, next to `context` (default: this context). */
  node(term: ExpressionTerm, context?: FieldMeta): ExpressionNode;
  /** The kind of value a child term yields. */
  kindOf(term: ExpressionTerm): FieldKind;
}

export interface TermSpec {
  /** For messages: `Case`, `Subquery`, `Concat`, … */
  readonly name: string;
  /** The terms it reads from the query's own rows (field paths checked up front, aggregates found). */
  readonly children: readonly ExpressionTerm[];
  build(ctx: TermContext): ExpressionNode;
  /** The kind of its value (how it is decoded when selected). */
  resultKind(meta: ModelMeta, kindOf: (term: ExpressionTerm) => FieldKind): FieldKind;
  /** Checks against the model queried, before any SQL (FieldError / ValidationError). */
  check?(meta: ModelMeta): void;
}

/** A stand-in field of `kind` (what a value of that kind is encoded and compared as). */
export function standIn(name: string, kind: FieldKind, nullable = true): FieldMeta {
  return {
    name,
    column: name,
    kind,
    pk: false,
    nullable,
    unique: false,
    index: false,
    generated: false,
    autoNow: false,
    autoNowAdd: false,
  };
}
