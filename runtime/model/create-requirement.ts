/**
 * Which fields create input must give: one rule for the generated input types and schemas
 * (yara-gen, through yara-orm/internal/codegen) and for create()'s check of its input
 * (model/create-input.ts). A module of its own, importing nothing, so yara-gen's code generation
 * does not load the runtime to read it.
 */

/** What decides whether create input must give a field: a FieldMeta's or the schema IR's. */
export interface CreateRequirement {
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly defaultFactory?: unknown;
  readonly dbDefault?: unknown;
  readonly generated?: boolean;
  readonly autoNow?: boolean;
  readonly autoNowAdd?: boolean;
}

/**
 * Whether create input must give the field: no null, no default of any kind, not filled by the
 * database or by now. One rule for the generated input types and schemas (yara-gen) and for
 * this check.
 */
export function requiredOnCreate(f: CreateRequirement): boolean {
  return (
    !f.nullable &&
    f.default === undefined &&
    f.defaultFactory === undefined &&
    f.dbDefault === undefined &&
    !f.generated &&
    !f.autoNow &&
    !f.autoNowAdd
  );
}
