/**
 * `values(...fields)` and `valuesList(...fields)`: the same query, decoded into plain objects
 * keyed by field path, into tuples, or (`{ flat: true }`) into bare values.
 */
import type { ExpressionNode } from "../ast/node.js";
import type { SelectNode } from "../ast/select.js";
import type { Result } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import type { ModelTypes } from "../model/types.js";
import { BaseQuery, type FieldKey, type ModelSource } from "./base.js";
import type { Scope } from "./scope.js";
import type { FieldKind, ModelMeta } from "../model/meta.js";
import { ValidationError } from "../errors.js";
import { decodeCell } from "./decode.js";
import { resultKind, selectedExpression } from "./expressions.js";
import type { ExpressionTerm } from "./f.js";
import { type FieldPath, isToMany, pkField, resolvePath } from "./path.js";
import { isAggregated, type QueryState, type SelectOptions } from "./state.js";

/** A path one to-many relation away (`books__title`): one row per related row, null without one. */
export type ManyKey<T extends ModelTypes> = keyof T["many"] & string;
/** What values() and valuesList() read: field paths, annotation names and to-many paths. */
export type ValueKey<T extends ModelTypes> = FieldKey<T> | ManyKey<T>;
/** The value type of values() key `K` (a to-many path's may be null: no related row). */
export type ValueOf<T extends ModelTypes, K> = K extends keyof T["fields"]
  ? T["fields"][K]
  : K extends keyof T["many"]
    ? T["many"][K] | null
    : never;
/** `values()` rows of keys `K`. */
export type ValuesOf<T extends ModelTypes, K extends string> = { [P in K]: ValueOf<T, P> };
/** `"path"` or `"-path"` of values() keys, for ordering a values() query. */
export type ValueOrderKey<T extends ModelTypes> = ValueKey<T> | `-${ValueKey<T>}`;

/** One selected value: a field path or an annotation. */
export interface ValueEntry {
  /** The row's key: the path or annotation name, or the alias given for it. */
  readonly key: string;
  /** The path or annotation name the value is read from (what ordering by it names). */
  readonly source: string;
  readonly path: FieldPath | undefined;
  readonly term: ExpressionTerm | undefined;
  readonly kind: FieldKind;
}

/** A values() argument: a field path or annotation name, or `{ alias: "path" }` (Tortoise's `values(alias="path")`). */
export type ValuesArg = string | Readonly<Record<string, string>>;

/** `[key, source]` pairs of values() arguments; aliases must name a path and keys be unique. */
function namedSources(meta: ModelMeta, args: readonly ValuesArg[]): [string, string][] {
  const pairs: [string, string][] = [];
  const refuse = (why: string, key?: string): never => {
    throw new ValidationError(`${meta.name}: values() ${why}`, meta.name, key);
  };
  for (const arg of args) {
    if (typeof arg === "string") pairs.push([arg, arg]);
    else if (typeof arg === "object" && arg !== null && !Array.isArray(arg)) {
      for (const [alias, source] of Object.entries(arg)) {
        if (typeof source !== "string")
          refuse(`alias "${alias}" must name a field path or annotation as a string`, alias);
        pairs.push([alias, source]);
      }
    } else refuse(`takes field paths and { alias: "path" } objects, not ${typeof arg}`);
  }
  const seen = new Set<string>();
  for (const [key] of pairs) {
    if (seen.has(key)) refuse(`names "${key}" twice`, key);
    seen.add(key);
  }
  return pairs;
}

/** Entries for values()/valuesList(); no fields means every own field and annotation. */
export function valueEntries(
  meta: ModelMeta,
  state: QueryState,
  args: readonly ValuesArg[],
): ValueEntry[] {
  const pairs: [string, string][] =
    args.length > 0
      ? namedSources(meta, args)
      : [
          ...meta.fields.map((f) => f.name),
          ...state.annotations.filter((a) => !a.hidden).map((a) => a.name),
        ].map((name) => [name, name]);
  return pairs.map(([key, source]) => {
    const annotation = state.annotations.find((a) => a.name === source);
    if (annotation)
      return {
        key,
        source,
        path: undefined,
        term: annotation.term,
        kind: resultKind(meta, annotation.term),
      };
    const path = resolvePath(meta, source, false);
    return { key, source, path, term: undefined, kind: path.field.kind };
  });
}

abstract class PathQuery<T extends ModelTypes, R> extends BaseQuery<T, R> {
  constructor(
    source: ModelSource<T>,
    state: QueryState,
    readonly entries: readonly ValueEntry[],
  ) {
    super(source, state);
  }

  /**
   * Whether rows are not table rows (distinct values, groups, a whole-table aggregate): without
   * orderBy() they are ordered by the selected values, in order, so every database returns them
   * in the same order (the model's ordering does not apply: its columns may not be selected).
   */
  private get byValues(): boolean {
    return this.state.distinct || isAggregated(this.source.meta, this.state);
  }

  /** Orders by field paths, annotations and to-many paths (`"books__title"`). */
  override orderBy(...fields: ValueOrderKey<T>[]): this {
    return super.orderBy(...(fields as FieldKey<T>[]));
  }

  /** To-many paths are LEFT JOINs here (to-many-join.ts): one row per related row. */
  protected override selectNode(options?: SelectOptions): SelectNode {
    if (this.byValues && this.state.ordering === undefined)
      return this.derive({ ordering: this.streamOrdering() }).selectNode(options);
    return super.selectNode({
      ...(options ?? { ordered: true, sliced: true }),
      toMany: true,
    });
  }

  /**
   * Distinct or grouped rows have no key to stream by (ordering by it would fail on Postgres and
   * undo the distinct): stream in the order of the selected values instead.
   */
  protected override streamOrdering(): string[] {
    if (!this.byValues) return [...super.streamOrdering(), ...this.relatedKeys()];
    const ordering = [...(this.state.ordering ?? [])];
    const named = new Set(ordering.map((o) => (o.startsWith("-") ? o.slice(1) : o)));
    return [...ordering, ...this.entries.map((e) => e.source).filter((k) => !named.has(k))];
  }

  /**
   * The keys of the related rows the to-many paths join (`books`, `books__tags`: each the
   * target's key), so rows of one instance stream in a fixed order too.
   */
  private relatedKeys(): string[] {
    const keys = new Set<string>();
    for (const e of this.entries) {
      const steps = e.path?.steps ?? [];
      steps.forEach((s, i) => {
        if (isToMany(s.relation))
          keys.add(
            steps
              .slice(0, i + 1)
              .map((t) => t.relation.name)
              .join("__"),
          );
      });
    }
    return [...keys];
  }

  /** Distinct or grouped rows without orderBy(): the first by the selected values (not by the key). */
  override first(): Promise<R | null> {
    if (this.byValues && this.state.ordering === undefined)
      return this.derive({ ordering: this.streamOrdering() }).first();
    return super.first();
  }

  protected columns(scope: Scope): readonly ExpressionNode[] {
    const pk = pkField(this.source.meta);
    return this.entries.map((e) =>
      e.path ? scope.column(e.path) : selectedExpression(scope, e.term!, pk),
    );
  }

  /** Nested in another query (Subquery, `field__in`): the one value selected. */
  protected override oneColumn(scope: Scope): ExpressionNode {
    const meta = this.source.meta;
    if (this.entries.length !== 1)
      throw new ValidationError(
        `${meta.name}: a query used as a subquery or an in list must select exactly one value, not ${this.entries.length} (values("field") or valuesList("field", { flat: true }))`,
        meta.name,
        undefined,
      );
    const e = this.entries[0]!;
    return e.path ? scope.column(e.path) : selectedExpression(scope, e.term!, pkField(meta));
  }

  /** Its values tell its distinct rows apart. */
  protected override rowColumns(scope: Scope): readonly ExpressionNode[] {
    return this.columns(scope);
  }

  /**
   * Nested, distinct rows without orderBy() are ordered by the selected values too, as when
   * they are read (the model's ordering would select its columns beside the one value).
   */
  override subqueryNode(outer: Scope, purpose: "value" | "in" | "exists"): SelectNode {
    if (this.state.distinct && this.state.ordering === undefined)
      return this.derive({ ordering: this.streamOrdering() }).subqueryNode(outer, purpose);
    return super.subqueryNode(outer, purpose);
  }

  override subqueryKind(): FieldKind {
    return this.entries.length === 1 ? this.entries[0]!.kind : super.subqueryKind();
  }

  protected get bigints(): boolean {
    return this.entries.some((e) => e.kind === "bigint");
  }

  /** Row `i`'s cells, in a new array. */
  protected cells(result: Result, i: number): unknown[] {
    const { entries } = this;
    const cells = new Array<unknown>(entries.length);
    for (let c = 0; c < cells.length; c++)
      cells[c] = decodeCell(result.reader, c, i, entries[c]!.kind);
    return cells;
  }
}

/** Rows as plain objects `{ [path]: value }`. */
export class ValuesQuerySet<T extends ModelTypes, V> extends PathQuery<T, V> {
  /** Type only: the value this query stands for as a subquery or in list (its one field). */
  declare readonly __subqueryValue: V extends object ? V[keyof V] : unknown;

  // Each row object is built cell by cell, with no array or closure per row besides it: those
  // were most of what values() allocated (bench/memory.ts's method, 5 000 rows).
  protected decodeRows(result: Result): V[] {
    const { entries } = this;
    const { reader } = result;
    const rows = new Array<V>(result.rowCount);
    for (let i = 0; i < rows.length; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < entries.length; c++) {
        const { key, kind } = entries[c]!;
        const value = decodeCell(reader, c, i, kind);
        // Assigning "__proto__" would set the prototype instead of adding the key.
        if (key === "__proto__") {
          Object.defineProperty(row, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else row[key] = value;
      }
      rows[i] = row as V;
    }
    return rows;
  }
}

/** Rows as tuples, or as bare values when `flat`. */
export class ValuesListQuerySet<T extends ModelTypes, V> extends PathQuery<T, V> {
  /** Type only: the value this query stands for as a subquery or in list (its one field). */
  declare readonly __subqueryValue: V extends readonly [infer X] ? X : V;

  constructor(
    source: ModelSource<T>,
    state: QueryState,
    entries: readonly ValueEntry[],
    readonly flat: boolean,
  ) {
    super(source, state, entries);
  }

  protected decodeRows(result: Result): V[] {
    const rows = new Array<V>(result.rowCount);
    if (this.flat) {
      const { kind } = this.entries[0]!;
      for (let i = 0; i < rows.length; i++) rows[i] = decodeCell(result.reader, 0, i, kind) as V;
    } else {
      for (let i = 0; i < rows.length; i++) rows[i] = this.cells(result, i) as V;
    }
    return rows;
  }
}
