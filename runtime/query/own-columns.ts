/**
 * A model's own columns as nodes, in the order of its generated column list (`BOOK_COLUMNS`):
 * what a `raw(columnsSql, columns)` select or RETURNING list carries so a dialect can render
 * some of them in another form (MysqlCompiler.boundResultColumn). Built once per model.
 */
import type { ColumnNode } from "../ast/column.js";
import type { ModelMeta } from "../model/meta.js";
import { columnOf } from "./scope.js";

const ownColumnNodes = new WeakMap<ModelMeta, readonly ColumnNode[]>();

export function ownColumns(meta: ModelMeta): readonly ColumnNode[] {
  let columns = ownColumnNodes.get(meta);
  if (columns === undefined) {
    columns = meta.fields.map((f) => columnOf(meta.table, f));
    ownColumnNodes.set(meta, columns);
  }
  return columns;
}
