/**
 * One table between two schema states: the model before and after, which new field names were
 * called what before (renames), and the value for existing rows of a column becoming NOT NULL.
 * Every operation that reshapes a table renders through this (ALTERs on Postgres, a rebuild on
 * SQLite), so they all give the table `generateSchemas` would create.
 */
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import type { FillOption } from "./operation.js";

export interface TableChange {
  readonly from: ModelMeta;
  readonly to: ModelMeta;
  /** New field name → old field name, for renamed fields only. */
  readonly fieldMap: ReadonlyMap<string, string>;
  readonly fill?: FillOption["fill"];
}

/** (old field, new field) for every field of `to` that existed in `from`, renames followed. */
export function matchedFields(change: TableChange): [FieldMeta, FieldMeta][] {
  const pairs: [FieldMeta, FieldMeta][] = [];
  for (const f1 of change.to.fields) {
    const oldName = change.fieldMap.get(f1.name) ?? f1.name;
    const f0 = change.from.fields.find((f) => f.name === oldName);
    if (f0 !== undefined) pairs.push([f0, f1]);
  }
  return pairs;
}
