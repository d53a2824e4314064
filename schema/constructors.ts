/** The field constructors a schema may call, and what each one declares. */
import type { FieldKind } from "./ir.js";

export type ForwardRelationKind = "foreignKey" | "oneToOne" | "manyToMany";

export const SCALAR_CONSTRUCTORS = {
  IntField: "int",
  BigIntField: "bigint",
  SmallIntField: "smallint",
  CharField: "char",
  TextField: "text",
  BooleanField: "boolean",
  FloatField: "float",
  DecimalField: "decimal",
  DatetimeField: "datetime",
  DateField: "date",
  TimeField: "time",
  UUIDField: "uuid",
  JSONField: "json",
  BinaryField: "binary",
  CharEnumField: "charEnum",
  IntEnumField: "intEnum",
} as const satisfies Record<string, FieldKind>;

export const RELATION_CONSTRUCTORS = {
  ForeignKeyField: "foreignKey",
  OneToOneField: "oneToOne",
  ManyToManyField: "manyToMany",
} as const satisfies Record<string, ForwardRelationKind>;

export type ScalarConstructor = keyof typeof SCALAR_CONSTRUCTORS;
export type RelationConstructor = keyof typeof RELATION_CONSTRUCTORS;
export type FieldConstructor = ScalarConstructor | RelationConstructor;

export function isScalarConstructor(name: string): name is ScalarConstructor {
  return Object.hasOwn(SCALAR_CONSTRUCTORS, name);
}

export function isRelationConstructor(name: string): name is RelationConstructor {
  return Object.hasOwn(RELATION_CONSTRUCTORS, name);
}

/** Every constructor name, for "use one of …" hints. */
export const CONSTRUCTOR_NAMES: readonly FieldConstructor[] = [
  ...(Object.keys(SCALAR_CONSTRUCTORS) as ScalarConstructor[]),
  ...(Object.keys(RELATION_CONSTRUCTORS) as RelationConstructor[]),
];
