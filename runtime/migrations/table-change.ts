/**
 * One table between two schema states: the model before and after, which new field names were
 * called what before (renames), and the value for existing rows of a column becoming NOT NULL.
 * Every operation that reshapes a table renders through this (ALTERs on Postgres, a rebuild on
 * SQLite), so they all give the table `generateSchemas` would create.
 */
import type { ModelMeta } from "../model/meta.js";
import type { FillOption } from "./operation.js";

export interface TableChange {
  readonly from: ModelMeta;
  readonly to: ModelMeta;
  /** New field name → old field name, for renamed fields only. */
  readonly fieldMap: ReadonlyMap<string, string>;
  readonly fill?: FillOption["fill"];
}
