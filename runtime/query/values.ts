/**
 * `values(...fields)` and `valuesList(...fields)`: the same query, decoded into plain objects
 * keyed by field path, into tuples, or (`{ flat: true }`) into bare values.
 */
import type { ExpressionNode } from "../ast/node.js";
import type { SelectNode } from "../ast/select.js";
import type { Dialect, Result } from "../driver/driver.js";
import type { ModelTypes } from "../model/types.js";
import { BaseQuery, type ModelSource } from "./base.js";
import type { Scope } from "./build.js";
import { decodeCell, needsBigints } from "./decode.js";
import { type FieldPath, resolvePath } from "./path.js";
import type { QueryState, SelectOptions } from "./state.js";

/** Field paths for values()/valuesList(); no fields means every own field. */
export function valuePaths(source: ModelSource<ModelTypes>, fields: readonly string[]): FieldPath[] {
  const meta = source.meta;
  const names = fields.length > 0 ? fields : meta.fields.map((f) => f.name);
  return names.map((name) => resolvePath(meta, name, false));
}

abstract class PathQuery<T extends ModelTypes, R> extends BaseQuery<T, R> {
  constructor(
    source: ModelSource<T>,
    state: QueryState,
    readonly paths: readonly FieldPath[],
  ) {
    super(source, state);
  }

  /** With distinct() and no explicit orderBy(), the model's ordering is dropped (its columns may not be selected). */
  protected override selectNode(dialect: Dialect, options?: SelectOptions): SelectNode {
    if (this.state.distinct && this.state.ordering === undefined) return this.derive({ ordering: [] }).selectNode(dialect, options);
    return super.selectNode(dialect, options);
  }

  protected columns(scope: Scope): readonly ExpressionNode[] {
    return this.paths.map((p) => scope.column(p));
  }

  protected get bigints(): boolean {
    return needsBigints(this.paths.map((p) => p.field));
  }

  protected cells(result: Result, i: number): unknown[] {
    return this.paths.map((p, c) => decodeCell(result.reader, c, i, p.field.kind));
  }
}

/** Rows as plain objects `{ [path]: value }`. */
export class ValuesQuerySet<T extends ModelTypes, V> extends PathQuery<T, V> {
  protected decodeRows(result: Result): V[] {
    const rows: V[] = [];
    for (let i = 0; i < result.rowCount; i++) {
      const cells = this.cells(result, i);
      const row: Record<string, unknown> = {};
      this.paths.forEach((p, c) => (row[p.key] = cells[c]));
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
    paths: readonly FieldPath[],
    readonly flat: boolean,
  ) {
    super(source, state, paths);
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
