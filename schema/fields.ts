/**
 * The field constructors of a schema file. Each returns a plain spec object; their job is to
 * make a schema type-check in the user's editor. yara never runs them: `schema/read.ts` reads
 * their arguments straight from the source text, so every option must be a literal.
 */
import type { OnDelete } from "./ir.js";

/** A value a `JSONField` default may hold. */
export type JsonLiteral =
  | string
  | number
  | boolean
  | null
  | readonly JsonLiteral[]
  | { readonly [key: string]: JsonLiteral };

/** Options every non-relation field accepts, apart from `null` and `default`. */
export interface BaseOptions {
  /** The primary key. A model without one gets `id: IntField({ pk: true })`. */
  readonly pk?: boolean;
  readonly unique?: boolean;
  readonly index?: boolean;
  /** Column name; default: snake_case of the field name. */
  readonly column?: string;
  readonly description?: string;
  /**
   * Custom validators by name, run in order before any SQL and by the generated zod schemas; the
   * application registers the functions with the generated client's `registerValidators`.
   */
  readonly validators?: readonly string[];
}

/**
 * `default` and `dbDefault` are typed to the field's value; `null` needs `null: true`.
 * `dbDefault` is computed by the database: a literal, or `"now"` (date/time fields) / `"uuid"`
 * (`UUIDField`), written as the column's DEFAULT.
 */
export type NullOptions<T> =
  | { readonly null?: false; readonly default?: T; readonly dbDefault?: T }
  | { readonly null: true; readonly default?: T | null; readonly dbDefault?: T | null };

export type ValueOptions<T> = BaseOptions & NullOptions<T>;

/** A value yara computes per inserted row when none is given (a schema cannot hold a function). */
export interface FactoryOptions<F extends string> {
  readonly defaultFactory?: F;
}
/**
 * Validators of a number field, checked before any SQL and by the generated zod schemas
 * (`ValidationError`: "Book.stock: less than minValue 0").
 */
export interface RangeOptions<B> {
  readonly minValue?: B;
  readonly maxValue?: B;
}
/** Validators of a text field; `regex` is a JavaScript pattern (`u` flag), checked by yara-gen. */
export interface TextRuleOptions {
  /** In characters (code points). */
  readonly minLength?: number;
  readonly regex?: string;
  /** Accept only something@domain.tld. */
  readonly email?: boolean;
}
export type NumberOptions = ValueOptions<number> & RangeOptions<number>;

/** `"uuid4"`: a fresh UUID v4 string. */
export type UuidFactoryOptions = ValueOptions<string> & FactoryOptions<"uuid4">;
export type TextOptions = UuidFactoryOptions & TextRuleOptions;

/** What a field constructor returns: the constructor's name and its options, untouched. */
export interface FieldSpec<C extends string = string, O = unknown> {
  readonly field: C;
  readonly options: O;
}

/** A relation spec also names its target model. */
export interface RelationSpec<
  C extends string = string,
  T extends string = string,
  O = unknown,
> extends FieldSpec<C, O> {
  readonly target: T;
}

export type CharOptions = TextOptions & { readonly maxLength: number };
export type DecimalOptions = ValueOptions<string> &
  RangeOptions<string | number> & {
    readonly maxDigits: number;
    readonly decimalPlaces: number;
  };
/** A datetime default is an ISO-8601 string with a time zone: `"2024-01-01T00:00:00Z"`. */
export type DatetimeOptions = ValueOptions<string> &
  FactoryOptions<"now"> & {
    /** Set to the current time on every save. */
    readonly autoNow?: boolean;
    /** Set to the current time when the row is created. */
    readonly autoNowAdd?: boolean;
  };
export type JsonOptions = Omit<BaseOptions, "pk"> & NullOptions<JsonLiteral>;
export type BinaryOptions = Omit<BaseOptions, "pk"> & { readonly null?: boolean };
export type CharEnumOptions<V extends readonly string[]> = ValueOptions<V[number]> & {
  readonly values: V;
  /** Column length; default: the longest value's length. */
  readonly maxLength?: number;
};
export type IntEnumOptions<V extends readonly number[]> = ValueOptions<V[number]> & {
  readonly values: V;
};

export interface ForeignKeyOptions {
  /** Name of the reverse relation on the target; default: camelCase model name + "s". */
  readonly relatedName?: string;
  /** Default: `"CASCADE"`. `"SET NULL"` and `"SET DEFAULT"` need `null: true`. */
  readonly onDelete?: OnDelete;
  readonly null?: boolean;
  readonly unique?: boolean;
  readonly index?: boolean;
  /** Key column name; default: snake_case of the field name + `_id`. */
  readonly column?: string;
  readonly description?: string;
}
export type OneToOneOptions = Omit<ForeignKeyOptions, "unique">;
export interface ManyToManyOptions {
  /** Name of the reverse relation on the target; default: camelCase model name + "s". */
  readonly relatedName?: string;
  /**
   * A through model (a model of the schema, named as written: `"BookTag"`) whose rows are the
   * join rows, with foreign keys to both sides and any extra columns; or the auto join table's
   * name (starting with a lowercase letter or `_`), default `${sourceTable}_${targetTable}`.
   */
  readonly through?: string;
  /**
   * The through model's two foreign keys, the one to this model first (`["book", "tag"]`);
   * needed only when it has several to either side.
   */
  readonly throughFields?: readonly [string, string];
  readonly description?: string;
}

const spec =
  <C extends string>(field: C) =>
  <O>(options: O): FieldSpec<C, O> => ({ field, options });

export const IntField = (options: NumberOptions = {}) => spec("IntField")(options);
export const BigIntField = (options: ValueOptions<bigint | number> & RangeOptions<number> = {}) =>
  spec("BigIntField")(options);
export const SmallIntField = (options: NumberOptions = {}) => spec("SmallIntField")(options);
export const CharField = (options: CharOptions) => spec("CharField")(options);
export const TextField = (options: TextOptions = {}) => spec("TextField")(options);
export const BooleanField = (options: ValueOptions<boolean> = {}) => spec("BooleanField")(options);
export const FloatField = (options: NumberOptions = {}) => spec("FloatField")(options);
export const DecimalField = (options: DecimalOptions) => spec("DecimalField")(options);
export const DatetimeField = (options: DatetimeOptions = {}) => spec("DatetimeField")(options);
/** Values are `"YYYY-MM-DD"` strings. */
export const DateField = (options: ValueOptions<string> & FactoryOptions<"now" | "today"> = {}) =>
  spec("DateField")(options);
/** Values are `"HH:MM:SS[.ffffff]"` strings. */
export const TimeField = (options: ValueOptions<string> & FactoryOptions<"now"> = {}) =>
  spec("TimeField")(options);
/** As a primary key without `default`/`dbDefault`: a fresh UUID v4 per inserted row. */
export const UUIDField = (options: UuidFactoryOptions = {}) => spec("UUIDField")(options);
export const JSONField = (options: JsonOptions = {}) => spec("JSONField")(options);
export const BinaryField = (options: BinaryOptions = {}) => spec("BinaryField")(options);
export const CharEnumField = <const V extends readonly [string, ...string[]]>(
  options: CharEnumOptions<V>,
) => spec("CharEnumField")(options);
export const IntEnumField = <const V extends readonly [number, ...number[]]>(
  options: IntEnumOptions<V>,
) => spec("IntEnumField")(options);

export const ForeignKeyField = <const T extends string>(
  target: T,
  options: ForeignKeyOptions = {},
): RelationSpec<"ForeignKeyField", T, ForeignKeyOptions> => ({
  field: "ForeignKeyField",
  target,
  options,
});
export const OneToOneField = <const T extends string>(
  target: T,
  options: OneToOneOptions = {},
): RelationSpec<"OneToOneField", T, OneToOneOptions> => ({
  field: "OneToOneField",
  target,
  options,
});
export const ManyToManyField = <const T extends string>(
  target: T,
  options: ManyToManyOptions = {},
): RelationSpec<"ManyToManyField", T, ManyToManyOptions> => ({
  field: "ManyToManyField",
  target,
  options,
});

/** `fields.CharField({ maxLength: 100 })`: every constructor under one name. */
export const fields = {
  IntField,
  BigIntField,
  SmallIntField,
  CharField,
  TextField,
  BooleanField,
  FloatField,
  DecimalField,
  DatetimeField,
  DateField,
  TimeField,
  UUIDField,
  JSONField,
  BinaryField,
  CharEnumField,
  IntEnumField,
  ForeignKeyField,
  OneToOneField,
  ManyToManyField,
} as const;
