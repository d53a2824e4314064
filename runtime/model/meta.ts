/**
 * What the generated code tells the runtime about a model: the IR minus source locations.
 * The generator emits one `ModelMeta` literal per model; the runtime never derives a table or
 * column name itself.
 */
import type { FieldIR, ModelIR, RelationIR } from "../../schema/ir.js";

export type {
  DbDefault,
  DefaultFactory,
  FieldValidators,
  FieldKind,
  LiteralValue,
  OnDelete,
  RelationKind,
  ThroughIR,
  ThroughModelIR,
} from "../../schema/ir.js";

/**
 * `unique`, `index` and `description` stay: `YaraOrm.generateSchemas()` builds DDL (and Postgres
 * comments) from this at run time.
 */
export type FieldMeta = Omit<FieldIR, "loc">;
export type RelationMeta = Omit<RelationIR, "loc">;

export interface ModelMeta extends Omit<ModelIR, "loc" | "fields" | "relations"> {
  readonly fields: readonly FieldMeta[];
  readonly relations: readonly RelationMeta[];
}
