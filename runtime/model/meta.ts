/**
 * What the generated code tells the runtime about a model: the IR minus source locations.
 * The generator emits one `modelMeta({ … })` call per model, listing only what differs from
 * the defaults of schema/meta-defaults.ts; `modelMeta` fills the rest back in with the schema's
 * own naming rules, so the runtime never derives a table or column name of its own.
 */
import type { FieldIR, ModelIR, RelationIR } from "../../schema/ir.js";
import { fieldDefaults, modelDefaults, relationDefaults } from "../../schema/meta-defaults.js";

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

/** `T` with the properties `K` optional (their defaults filled in by `modelMeta`). */
type Defaulted<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]?: T[P] };

export type FieldMetaInput = Defaulted<FieldMeta, keyof ReturnType<typeof fieldDefaults>>;
export type RelationMetaInput = Defaulted<RelationMeta, keyof ReturnType<typeof relationDefaults>>;

/** A model meta as the generated code writes it: what differs from the defaults. */
export type ModelMetaInput = Defaulted<
  Omit<ModelMeta, "fields" | "relations">,
  Exclude<keyof ReturnType<typeof modelDefaults>, "relations">
> & {
  readonly fields: readonly FieldMetaInput[];
  readonly relations?: readonly RelationMetaInput[];
};

/** The full ModelMeta of what the generated code wrote: every left-out property at its default. */
export function modelMeta(input: ModelMetaInput): ModelMeta {
  const model = withDefaults(input, modelDefaults(input.name));
  return {
    ...model,
    fields: input.fields.map((f) => oneShape(withDefaults(f, fieldDefaults(f.name, model.pk)))),
    relations: (input.relations ?? []).map((r) =>
      withDefaults(r, relationDefaults(r.name, r.kind, r.inverse)),
    ),
  };
}

/**
 * `field` as an object of the one shape every FieldMeta has: each property own, in this order
 * (undefined where the field has none). The generated metas list only what differs from the
 * defaults, so each field would otherwise be an object of its own shape, and every
 * `field.kind`, `field.nullable`, … the write path reads per value (create's checks, insertRow,
 * binding) a megamorphic property load. A literal, not properties added in a loop: past a dozen
 * properties added by computed key, V8 turns the object into a slow dictionary.
 */
function oneShape(f: FieldMeta): FieldMeta {
  const shaped = {
    name: f.name,
    column: f.column,
    kind: f.kind,
    pk: f.pk,
    nullable: f.nullable,
    unique: f.unique,
    index: f.index,
    generated: f.generated,
    default: f.default,
    defaultFactory: f.defaultFactory,
    dbDefault: f.dbDefault,
    validators: f.validators,
    autoNow: f.autoNow,
    autoNowAdd: f.autoNowAdd,
    maxLength: f.maxLength,
    maxDigits: f.maxDigits,
    decimalPlaces: f.decimalPlaces,
    enumValues: f.enumValues,
    description: f.description,
    relation: f.relation,
  } satisfies Record<keyof FieldMeta, unknown>;
  return shaped as FieldMeta;
}

/** `input` with each of `defaults` it leaves undefined set (a default of undefined stays out). */
function withDefaults<I extends object, D extends object>(input: I, defaults: D): I & D {
  const out = { ...input } as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults))
    if (out[key] === undefined && value !== undefined) out[key] = value;
  return out as I & D;
}
