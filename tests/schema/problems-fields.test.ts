// Rules for fields and their options: each bad schema yields exactly the expected
// `file:line:col: message` lines (the first line of a model body is line 3 of the file).
import { describe, expect, test } from "vitest";
import { problemsOf, schemaSource } from "./support.js";

const CONSTRUCTORS =
  "IntField, BigIntField, SmallIntField, CharField, TextField, BooleanField, FloatField, DecimalField, DatetimeField, DateField, TimeField, UUIDField, JSONField, BinaryField, CharEnumField, IntEnumField, ForeignKeyField, OneToOneField, ManyToManyField";

describe("field options", () => {
  test("CharField without maxLength or with maxLength below 1; CharEnumField shorter than a value", () => {
    const source = schemaSource(`  Book: {
    title: fields.CharField({}),
    isbn: fields.CharField({ maxLength: 0 }),
    state: fields.CharEnumField({ values: ["draft", "published"], maxLength: 5 }),
    code: fields.CharField(),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:29: CharField `Book.title` needs `maxLength`, a positive integer such as `maxLength: 255`",
      "app.schema.ts:5:30: option `maxLength` of `Book.isbn` must be a positive integer",
      'app.schema.ts:6:67: `maxLength` of `Book.state` is 5, shorter than its value "published"; raise it or leave `maxLength` out',
      "app.schema.ts:7:11: CharField `Book.code` needs `maxLength`, a positive integer such as `maxLength: 255`",
    ]);
  });

  test("DecimalField without maxDigits, or with more decimal places than digits", () => {
    const source = schemaSource(`  Book: {
    price: fields.DecimalField({ decimalPlaces: 2 }),
    weight: fields.DecimalField({ maxDigits: 2, decimalPlaces: 3 }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:32: DecimalField `Book.price` needs `maxDigits`, a positive integer such as `maxDigits: 10`",
      "app.schema.ts:5:49: `decimalPlaces` (3) of `Book.weight` exceeds `maxDigits` (2); lower it or raise `maxDigits`",
    ]);
  });

  test("an unknown option, with a suggestion when it looks like a typo", () => {
    const source = schemaSource(`  Book: {
    title: fields.CharField({ maxlength: 100 }),
    body: fields.TextField({ color: "red" }),
    tags: fields.ManyToManyField("Book", { null: true }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:31: unknown option `maxlength` on CharField `Book.title`; did you mean `maxLength`?",
      "app.schema.ts:5:30: unknown option `color` on TextField `Book.body`; it accepts pk, null, default, defaultFactory, dbDefault, unique, index, column, description, validators, minLength, regex, email",
      "app.schema.ts:6:44: unknown option `null` on ManyToManyField `Book.tags`; it accepts relatedName, through, throughFields, description",
    ]);
  });

  test("an option of the wrong type", () => {
    const source = schemaSource(`  Book: {
    title: fields.TextField({ unique: "yes", column: "2col" }),
    author: fields.ForeignKeyField("Book", { onDelete: "DELETE" }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:31: option `unique` of `Book.title` must be true or false",
      "app.schema.ts:4:46: option `column` of `Book.title` must be a column name of at most 63 letters, digits and `_`, not starting with a digit",
      'app.schema.ts:5:46: option `onDelete` of `Book.author` must be one of "CASCADE", "SET NULL", "RESTRICT", "SET DEFAULT" or "NO ACTION"',
    ]);
  });

  test("an unknown field constructor", () => {
    const source = schemaSource(`  Book: {
    title: fields.StringField({ maxLength: 100 }),
    body: fields.TxtField(),
    other: makeField(),
  },`);
    expect(problemsOf(source)).toEqual([
      `app.schema.ts:4:5: \`Book.title\` uses \`StringField\`, which is not a yara field constructor; use one of ${CONSTRUCTORS}`,
      "app.schema.ts:5:5: `Book.body` uses `TxtField`, which is not a yara field constructor; did you mean `TextField`?",
      `app.schema.ts:6:5: \`Book.other\` uses \`makeField\`, which is not a yara field constructor; use one of ${CONSTRUCTORS}`,
    ]);
  });

  test("defaults are judged by the runtime's own check of each kind", () => {
    // Spellings create() accepts are accepted as defaults, and the same refusals apply.
    const source = schemaSource(`  Book: {
    at: fields.TimeField({ default: "10:30" }),
    price: fields.DecimalField({ maxDigits: 6, decimalPlaces: 2, default: " +2.5 " }),
    seen: fields.DatetimeField({ default: "2024-01-31 09:30+0100" }),
    name: fields.CharField({ maxLength: 2, default: "😀😀" }),
    late: fields.DatetimeField({ default: "2024-02-30T00:00:00Z" }),
    wide: fields.CharField({ maxLength: 2, default: "😀😀😀" }),
  },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:8:34: default of DatetimeField `Book.late` must be an ISO-8601 date and time with a time zone, like "2024-01-31T09:30:00Z", not "2024-02-30T00:00:00Z"',
      'app.schema.ts:9:44: default of CharField `Book.wide` must be a string of at most 2 characters, not "😀😀😀"',
    ]);
  });

  test("defaults of the wrong type, outside the column, or on an autoNow field", () => {
    const source = schemaSource(`  Book: {
    pages: fields.IntField({ default: "ten" }),
    state: fields.CharEnumField({ values: ["draft", "published"], default: "archived" }),
    updatedAt: fields.DatetimeField({ autoNow: true, default: "2024-01-01T00:00:00Z" }),
    title: fields.CharField({ maxLength: 5, default: null }),
    small: fields.SmallIntField({ default: 40000 }),
    price: fields.DecimalField({ maxDigits: 4, decimalPlaces: 2, default: "123.4" }),
    day: fields.DateField({ default: "2024-02-30" }),
    at: fields.TimeField({ default: "25:00:00" }),
    key: fields.UUIDField({ default: "nope" }),
    blob: fields.BinaryField({ default: "x" }),
    level: fields.IntEnumField({ values: [1, 2], default: 3 }),
  },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:4:30: default of IntField `Book.pages` must be an integer between -2147483648 and 2147483647, not "ten"',
      'app.schema.ts:5:67: default of CharEnumField `Book.state` must be one of its values ("draft", "published"), not "archived"',
      "app.schema.ts:6:54: DatetimeField `Book.updatedAt` sets `autoNow`, which provides its value; remove `default`",
      "app.schema.ts:7:45: default of CharField `Book.title` is null but the field is not nullable; add `null: true` or change the default",
      "app.schema.ts:8:35: default of SmallIntField `Book.small` must be an integer between -32768 and 32767, not 40000",
      'app.schema.ts:9:66: default of DecimalField `Book.price` must be a decimal string with at most 2 digits before the point and 2 after, like "00.00", not "123.4"',
      'app.schema.ts:10:29: default of DateField `Book.day` must be a "YYYY-MM-DD" date string, not "2024-02-30"',
      'app.schema.ts:11:28: default of TimeField `Book.at` must be a "HH:MM" or "HH:MM:SS" time string, optionally with up to 6 fractional digits, not "25:00:00"',
      'app.schema.ts:12:29: default of UUIDField `Book.key` must be a UUID string like "123e4567-e89b-12d3-a456-426614174000", not "nope"',
      "app.schema.ts:13:32: BinaryField `Book.blob` cannot have a default, since a binary value is not a literal; set it when creating rows",
      "app.schema.ts:14:50: default of IntEnumField `Book.level` must be one of its values (1, 2), not 3",
    ]);
  });

  test("autoNow together with autoNowAdd", () => {
    const source = schemaSource(
      `  Book: { touched: fields.DatetimeField({ autoNow: true, autoNowAdd: true }) },`,
    );
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:58: DatetimeField `Book.touched` sets both `autoNow` and `autoNowAdd`; keep one (`autoNow` also sets the value on insert)",
    ]);
  });

  test("enum values that are empty, repeated, or not integers", () => {
    const source = schemaSource(`  Post: {
    state: fields.CharEnumField({ values: [] }),
    kind: fields.CharEnumField({ values: ["a", "b", "a", "a"] }),
    level: fields.IntEnumField({ values: [1, 2.5] }),
    prio: fields.IntEnumField({ values: [1, 1] }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:35: CharEnumField `Post.state` has no values; list at least one in `values`",
      'app.schema.ts:5:34: CharEnumField `Post.kind` lists the value "a" more than once; remove the duplicate',
      "app.schema.ts:6:34: option `values` of `Post.level` must be a list of integers between -2147483648 and 2147483647",
      "app.schema.ts:7:33: IntEnumField `Post.prio` lists the value 1 more than once; remove the duplicate",
    ]);
  });
});

describe("primary keys", () => {
  test("two primary keys", () => {
    const source = schemaSource(`  Book: {
    id: fields.IntField({ pk: true }),
    isbn: fields.CharField({ maxLength: 13, pk: true }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:5:5: model `Book` has a second primary key `isbn` besides `id`; keep `pk: true` on one field",
    ]);
  });

  test("a nullable primary key, a relation or a JSON field as primary key", () => {
    const source = schemaSource(`  Author: { code: fields.UUIDField({ pk: true, null: true }) },
  Book: {
    author: fields.ForeignKeyField("Author", { pk: true }),
    data: fields.JSONField({ pk: true }),
  },
  File: { blob: fields.BinaryField({ pk: true }) },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:48: primary key `Author.code` cannot be nullable; remove `null: true`",
      "app.schema.ts:5:48: relation `Book.author` cannot be the primary key; give `Book` its own pk field and make the relation `unique`",
      "app.schema.ts:6:30: JSONField `Book.data` cannot be the primary key; use an integer, string or UUID field",
      "app.schema.ts:8:38: BinaryField `File.blob` cannot be the primary key; use an integer, string or UUID field",
    ]);
  });

  test("an `id` field that is not the primary key of a model without one", () => {
    const source = schemaSource(`  Book: { id: fields.TextField(), title: fields.TextField() },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:11: `Book.id` is not a primary key and `Book` has none, so yara cannot add its implicit `id`; mark a field `pk: true`",
    ]);
  });
});

describe("defaultFactory and dbDefault", () => {
  test("on a kind they do not suit, with another source of the value, or of the wrong type", () => {
    const source = schemaSource(`  Book: {
    a: fields.IntField({ defaultFactory: "uuid4" }),
    b: fields.CharField({ maxLength: 20, defaultFactory: "uuid4" }),
    c: fields.DatetimeField({ defaultFactory: "today" }),
    d: fields.TextField({ default: "x", defaultFactory: "uuid4" }),
    e: fields.DatetimeField({ autoNowAdd: true, dbDefault: "now" }),
    f: fields.IntField({ dbDefault: "now" }),
    g: fields.UUIDField({ dbDefault: "uuid4" }),
    h: fields.DateField({ defaultFactory: "now", dbDefault: "now" }),
    i: fields.TextField({ defaultFactory: "uuid7" }),
  },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:4:26: IntField `Book.a` cannot use `defaultFactory: "uuid4"`; it suits UUIDField, CharField, TextField fields',
      'app.schema.ts:5:42: CharField `Book.b` needs `maxLength` of at least 36 for `defaultFactory: "uuid4"`',
      'app.schema.ts:6:31: DatetimeField `Book.c` cannot use `defaultFactory: "today"`; it suits DateField fields',
      "app.schema.ts:7:41: TextField `Book.d` sets both `default` and `defaultFactory`; keep one source of its value",
      "app.schema.ts:8:49: DatetimeField `Book.e` sets both `autoNowAdd` and `dbDefault`; keep one source of its value",
      'app.schema.ts:9:26: dbDefault of IntField `Book.f` must be an integer between -2147483648 and 2147483647, not "now"',
      'app.schema.ts:10:27: dbDefault of UUIDField `Book.g` must be a UUID string like "123e4567-e89b-12d3-a456-426614174000" or "uuid", not "uuid4"',
      "app.schema.ts:11:50: DateField `Book.h` sets both `defaultFactory` and `dbDefault`; keep one source of its value",
      'app.schema.ts:12:27: option `defaultFactory` of `Book.i` must be one of "uuid4", "now" or "today"',
    ]);
  });
});

describe("validators", () => {
  test("bounds of the wrong kind or out of order, minLength above maxLength, a bad regex", () => {
    const source = schemaSource(`  Book: {
    a: fields.IntField({ minValue: 1.5 }),
    b: fields.IntField({ minValue: 10, maxValue: 1 }),
    c: fields.DecimalField({ maxDigits: 5, decimalPlaces: 2, minValue: "ten" }),
    d: fields.CharField({ maxLength: 5, minLength: 6 }),
    e: fields.TextField({ regex: "([a-z]" }),
    f: fields.BooleanField({ minValue: 1 }),
    g: fields.TextField({ email: "yes" }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:26: `minValue` of `Book.a` must be an integer, like the field's values",
      "app.schema.ts:5:40: `maxValue` of `Book.b` is below its `minValue`",
      "app.schema.ts:6:62: `minValue` of `Book.c` must be a number or a decimal string",
      "app.schema.ts:7:41: `minLength` of `Book.d` is 6, above its `maxLength` 5",
      "app.schema.ts:8:27: `regex` of `Book.e` is not a valid JavaScript regular expression: Invalid regular expression: /([a-z]/u: Unterminated group",
      "app.schema.ts:9:30: unknown option `minValue` on BooleanField `Book.f`; it accepts pk, null, default, defaultFactory, dbDefault, unique, index, column, description, validators",
      "app.schema.ts:10:27: option `email` of `Book.g` must be true or false",
    ]);
  });

  test("custom validator names: a list of identifiers, each once", () => {
    const source = schemaSource(`  Book: {
    a: fields.TextField({ validators: ["isbn", "isbn"] }),
    b: fields.IntField({ validators: ["not a name"] }),
    c: fields.DateField({ validators: "isbn" }),
    d: fields.ForeignKeyField("Book", { validators: ["isbn"] }),
  },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:4:27: `validators` of `Book.a` lists "isbn" twice',
      "app.schema.ts:5:26: option `validators` of `Book.b` must be a list of validator names (letters, digits, `_`, `$`, not starting with a digit)",
      "app.schema.ts:6:27: option `validators` of `Book.c` must be a list of validator names (letters, digits, `_`, `$`, not starting with a digit)",
      "app.schema.ts:7:41: unknown option `validators` on ForeignKeyField `Book.d`; it accepts relatedName, onDelete, null, index, column, description, unique",
    ]);
  });
});
