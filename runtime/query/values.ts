/**
 * `values(...fields)` and `valuesList(...fields)`: the same query, decoded into plain objects
 * keyed by field path, into tuples, or (`{ flat: true }`) into bare values.
 */
import type { ExpressionNode } from "../ast/node.js";
import type { SelectNode } from "../ast/select.js";
import type { Dialect, Result } from "../driver/driver.js";
import type { ModelTypes } from "../model/types.js";
import { BaseQuery, type ModelSource } from "./base.js";
import type { Scope } from "./scope.js";
import type { FieldKind, ModelMeta } from "../model/meta.js";
import { decodeCell } from "./decode.js";
import { resultKind, selectedExpression } from "./expressions.js";
import type { ExpressionTerm } from "./f.js";
import { type FieldPath, pkField, resolvePath } from "./path.js";
import type { QueryState, SelectOptions } from "./state.js";

/** One selected value: a field path or an annotation. */
export interface ValueEntry {
  readonly key: string;
  readonly path: FieldPath | undefined;
  readonly term: ExpressionTerm | undefined;
  readonly kind: FieldKind;
}

/** Entries for values()/valuesList(); no fields means every own field and annotation. */
export function valueEntries(
  meta: ModelMeta,
  state: QueryState,
  fields: readonly string[],
): ValueEntry[] {
  const names =
    fields.length > 0
      ? fields
      : [...meta.fields.map((f) => f.name), ...state.annotations.map((a) => a.name)];
  return names.map((key) => {
    const annotation = state.annotations.find((a) => a.name === key);
    if (annotation)
      return {
        key,
        path: undefined,
        term: annotation.term,
        kind: resultKind(meta, annotation.term),
      };
    const path = resolvePath(meta, key, false);
    return { key, path, term: undefined, kind: path.field.kind };
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

  /** With distinct() and no explicit orderBy(), the model's ordering is dropped (its columns may not be selected). */
  protected override selectNode(dialect: Dialect, options?: SelectOptions): SelectNode {
    if (this.state.distinct && this.state.ordering === undefined)
      return this.derive({ ordering: [] }).selectNode(dialect, options);
    return super.selectNode(dialect, options);
  }

  /**
   * With distinct() the key is not selected (ordering by it would both fail on Postgres and
   * undo the distinct): stream in the order of the selected values instead.
   */
  protected override streamOrdering(): string[] {
    if (!this.state.distinct) return super.streamOrdering();
    const ordering = [...(this.state.ordering ?? [])];
    const named = new Set(ordering.map((o) => (o.startsWith("-") ? o.slice(1) : o)));
    return [...ordering, ...this.entries.map((e) => e.key).filter((k) => !named.has(k))];
  }

  /** With distinct() and no orderBy(), the first row by the selected values (not by the key). */
  override first(): Promise<R | null> {
    if (this.state.distinct && this.state.ordering === undefined)
      return this.derive({ ordering: this.streamOrdering() }).first();
    return super.first();
  }

  protected columns(scope: Scope): readonly ExpressionNode[] {
    const pk = pkField(this.source.meta);
    return this.entries.map((e) =>
      e.path ? scope.column(e.path) : selectedExpression(scope, e.term!, pk),
    );
  }

  protected get bigints(): boolean {
    return this.entries.some((e) => e.kind === "bigint");
  }

  protected cells(result: Result, i: number): unknown[] {
    return this.entries.map((e, c) => decodeCell(result.reader, c, i, e.kind));
  }
}

/** Rows as plain objects `{ [path]: value }`. */
export class ValuesQuerySet<T extends ModelTypes, V> extends PathQuery<T, V> {
  protected decodeRows(result: Result): V[] {
    const rows: V[] = [];
    for (let i = 0; i < result.rowCount; i++) {
      const cells = this.cells(result, i);
      const row: Record<string, unknown> = {};
      this.entries.forEach((e, c) => {
        // Assigning "__proto__" would set the prototype instead of adding the key.
        if (e.key === "__proto__") {
          Object.defineProperty(row, e.key, {
            value: cells[c],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else row[e.key] = cells[c];
      });
      rows.push(row as V);
    }
    return rows;
  }
}

/** Rows as tuples, or as bare values when `flat`. */
export class ValuesListQuerySet<T extends ModelTypes, V> extends PathQuery<T, V> {
  constructor(
    source: ModelSource<T>,
    state: QueryState,
    entries: readonly ValueEntry[],
    readonly flat: boolean,
  ) {
    super(source, state, entries);
  }

  protected decodeRows(result: Result): V[] {
    const rows: V[] = [];
    for (let i = 0; i < result.rowCount; i++) {
      const cells = this.cells(result, i);
      rows.push((this.flat ? cells[0] : cells) as V);
    }
    return rows;
  }
}
