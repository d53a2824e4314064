/**
 * The validated intermediate representation of a schema file.
 *
 * `schema/read.ts` turns a schema file into this shape (statically, with TypeScript's parser), `schema/validate.ts`
 * checks it with zod and fills in every default, and `generator/` is a pure function of it. Every
 * name is final here: tables, columns, reverse relations and join tables are all resolved, so the
 * generator never derives a database identifier on its own.
 */

/** Where a construct stands in the schema file, 1-based, for `file:line:col` messages. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/** The storage kind of a scalar field. Relations are not fields; their key columns are. */
export type FieldKind =
  | "int"
  | "bigint"
  | "smallint"
  | "char"
  | "text"
  | "boolean"
  | "float"
  | "decimal"
  | "datetime"
  | "date"
  | "time"
  | "uuid"
  | "json"
  | "binary"
  | "charEnum"
  | "intEnum";

/** A literal default: what a schema may write after `default:`. JSON defaults may be objects/arrays. */
export type LiteralValue =
  | string
  | number
  | boolean
  | null
  | readonly LiteralValue[]
  | { readonly [key: string]: LiteralValue };

/**
 * A value the runtime computes per row on insert when none is given (`defaultFactory:`): a
 * schema file is read without running it, so a default cannot be a function; these name the
 * usual ones (Python's `uuid.uuid4`, `timezone.now`, `date.today`).
 */
export type DefaultFactory = "uuid4" | "now" | "today";

/**
 * A default the database computes (`dbDefault:`), written into the table's DDL; an insert that
 * leaves the field out omits its column and reads the value back. `fn`: `"now"` (the current
 * UTC instant, date or time, by field kind) or `"uuid"` (a UUID v4); `value`: a literal.
 */
export type DbDefault = { readonly fn: "now" | "uuid" } | { readonly value: LiteralValue };

/**
 * Rules a written value must also meet, checked before any SQL (create, update, save) and by
 * the generated zod schemas. `minValue` / `maxValue`: numbers (a decimal's as its string);
 * `minLength`, `regex` (a JavaScript pattern, `u` flag), `email`: text. `custom`: the names the
 * schema's `validators: [...]` lists, run in order after the others; the application registers
 * the functions (`registerValidators`), since a schema read without running it holds no function.
 */
export interface FieldValidators {
  readonly minValue?: number | string;
  readonly maxValue?: number | string;
  readonly minLength?: number;
  readonly regex?: string;
  readonly email?: boolean;
  readonly custom?: readonly string[];
}

export type OnDelete = "CASCADE" | "SET NULL" | "RESTRICT" | "SET DEFAULT" | "NO ACTION";

/** One column of a model's table. A foreign key's column is a field too (`authorId`). */
export interface FieldIR {
  /** Property name on the model class and in inputs: `title`, `authorId`. */
  readonly name: string;
  /** Column name in the table: `title`, `author_id`. */
  readonly column: string;
  readonly kind: FieldKind;
  readonly pk: boolean;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  /** Value assigned by the database on insert (an integer primary key with no default). */
  readonly generated: boolean;
  /** Present when the schema wrote `default:`; may be `null` for a nullable field. */
  readonly default?: LiteralValue;
  /**
   * Computed by the runtime per inserted row when no value is given: `defaultFactory:` in the
   * schema, or `"uuid4"` for a UUID primary key without a default.
   */
  readonly defaultFactory?: DefaultFactory;
  /** Present when the schema wrote `dbDefault:`. */
  readonly dbDefault?: DbDefault;
  /** Present when the schema wrote any of `minValue`, `maxValue`, `minLength`, `regex`, `email`, `validators`. */
  readonly validators?: FieldValidators;
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;
  /** `char`, `charEnum`: the column length. */
  readonly maxLength?: number;
  /** `decimal` */
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  /** `charEnum` (strings) and `intEnum` (integers), in schema order. */
  readonly enumValues?: readonly (string | number)[];
  readonly description?: string;
  /** For a foreign key's column: the name of the forward relation that owns it (`author`). */
  readonly relation?: string;
  readonly loc: SourceLocation;
}

export type RelationKind =
  | "foreignKey"
  | "oneToOne"
  | "manyToMany"
  | "reverseForeignKey"
  | "reverseOneToOne"
  | "reverseManyToMany";

/**
 * The join table of a many-to-many relation, shared by both sides: the auto join table (two key
 * columns, the pair as primary key), or the table of a through model, whose foreign keys hold
 * the pair and whose other columns are the extra data of each join row.
 */
export interface ThroughIR {
  readonly table: string;
  /** Column holding the key of the side that declared the relation. */
  readonly sourceColumn: string;
  /** Column holding the key of the target side. */
  readonly targetColumn: string;
  /** Present when the schema names a through model (`through: "BookTag"`). */
  readonly model?: ThroughModelIR;
}

/** The through model of a many-to-many relation: the model owning the join table. */
export interface ThroughModelIR {
  /** `BookTag` */
  readonly name: string;
  /** Its key field holding the declaring side's key (`bookId`, of the relation `book`). */
  readonly sourceField: string;
  /** Its key field holding the target's key (`tagId`). */
  readonly targetField: string;
}

/**
 * A relation as seen from one model. Forward relations are declared in the schema; each gets a
 * reverse relation on its target, named by `relatedName` (default: camelCase model name + "s" for
 * to-many, camelCase model name for one-to-one).
 */
export interface RelationIR {
  /** `author`, `tags`, `books` (reverse). */
  readonly name: string;
  readonly kind: RelationKind;
  /** Target model name. */
  readonly target: string;
  /**
   * foreignKey / oneToOne: the local key field (`authorId`).
   * reverseForeignKey / reverseOneToOne: the key field on the target (`authorId` on Book).
   * manyToMany / reverseManyToMany: absent.
   */
  readonly keyField?: string;
  /** Name of the relation on the other side (`books` for Book.author, `author` for Author.books). */
  readonly inverse: string;
  /** Forward relations only. */
  readonly onDelete?: OnDelete;
  /** foreignKey / oneToOne: whether the key column is nullable. */
  readonly nullable: boolean;
  /** manyToMany and reverseManyToMany: the join table. */
  readonly through?: ThroughIR;
  readonly description?: string;
  readonly loc: SourceLocation;
}

export interface ModelIR {
  /** PascalCase model name, as written in the schema: `Book`. */
  readonly name: string;
  readonly table: string;
  /** In declaration order; an implicit `id` pk comes first. */
  readonly fields: readonly FieldIR[];
  /** Forward relations in declaration order, then reverse relations. */
  readonly relations: readonly RelationIR[];
  /** Name of the primary-key field. */
  readonly pk: string;
  /** Field names, `-` prefixed for descending: `["-id"]`. */
  readonly ordering: readonly string[];
  /** Each entry lists field names (a relation name stands for its key field). */
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly indexes: readonly (readonly string[])[];
  readonly description?: string;
  /**
   * The named connection (`YaraOrm.init({ connections })`) the model lives on; absent: the
   * enclosing transaction's connection, else "default".
   */
  readonly connection?: string;
  readonly loc: SourceLocation;
}

export interface SchemaIR {
  /** Path of the schema file, as given to the reader (used in `DO NOT EDIT` headers). */
  readonly sourceFile: string;
  /** In declaration order. */
  readonly models: readonly ModelIR[];
}
