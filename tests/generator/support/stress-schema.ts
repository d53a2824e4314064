/**
 * A schema written to exercise every layout the generator prints: every field kind with and
 * without `null`, defaults (JSON ones nested, quoted and non-ASCII), every option, enums long
 * enough to break, every relation kind and option, model options, and names short and long
 * enough (near the 63-character SQL limit) that lines, argument lists, unions and intersections
 * break where prettier breaks them. tests/generator/formatted.test.ts generates it.
 */

const LONG_MODEL = "QuarterlyRegionalWarehouseInventoryReconciliationReport"; // 55 chars
const LONG_FIELD = "reconciledOutstandingBalanceAfterAdjustments"; // 44 chars
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

function scalarFields(prefix: string): string[] {
  const values = WORDS.map((w) => JSON.stringify(`${w}_${prefix}_state`)).join(", ");
  return [
    `${prefix}Int: fields.IntField({ default: -1, index: true, description: "A signed integer." }),`,
    `${prefix}IntNull: fields.IntField({ null: true, column: "${prefix.toLowerCase()}_int_or_nothing" }),`,
    `${prefix}Big: fields.BigIntField({ default: 9007199254740991 }),`,
    `${prefix}BigNull: fields.BigIntField({ null: true, unique: true }),`,
    `${prefix}Small: fields.SmallIntField({ default: 0 }),`,
    `${prefix}Char: fields.CharField({ maxLength: 200, default: "it's \\"quoted\\"" }),`,
    `${prefix}CharNull: fields.CharField({ maxLength: 7, null: true, default: null }),`,
    `${prefix}Text: fields.TextField({ default: "line one\\nline two\\ttabbed \\\\ back", description: "A text with a description long enough that a generated line holding it cannot fit in one hundred columns." }),`,
    `${prefix}TextNull: fields.TextField({ null: true }),`,
    `${prefix}Bool: fields.BooleanField({ default: false }),`,
    `${prefix}BoolNull: fields.BooleanField({ null: true }),`,
    `${prefix}Float: fields.FloatField({ default: 1e21 }),`,
    `${prefix}FloatNull: fields.FloatField({ null: true, default: 0.000001 }),`,
    `${prefix}Decimal: fields.DecimalField({ maxDigits: 20, decimalPlaces: 6, default: "12.5" }),`,
    `${prefix}DecimalNull: fields.DecimalField({ maxDigits: 5, decimalPlaces: 0, null: true }),`,
    `${prefix}At: fields.DatetimeField({ default: "2024-01-01T00:00:00Z" }),`,
    `${prefix}Created: fields.DatetimeField({ autoNowAdd: true }),`,
    `${prefix}Updated: fields.DatetimeField({ autoNow: true, null: true }),`,
    `${prefix}Day: fields.DateField({ default: "2024-02-29" }),`,
    `${prefix}DayNull: fields.DateField({ null: true }),`,
    `${prefix}Time: fields.TimeField({ default: "12:30:00.5" }),`,
    `${prefix}TimeNull: fields.TimeField({ null: true }),`,
    `${prefix}Uuid: fields.UUIDField({ unique: true }),`,
    `${prefix}UuidNull: fields.UUIDField({ null: true }),`,
    `${prefix}Json: fields.JSONField({ default: { theme: "dark", "dash-key": [1, -2, 3.5], café: { nested: [{ a: 1, b: "two" }, { a: 3, b: "four" }], empty: {}, none: [] }, quote: "say \\"hi\\"", wide: "日本語のテキストはとても長いのでこの行は折り返されるはずです日本語のテキスト" } }),`,
    `${prefix}JsonList: fields.JSONField({ default: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31] }),`,
    `${prefix}JsonNull: fields.JSONField({ null: true }),`,
    `${prefix}Blob: fields.BinaryField({ null: true }),`,
    `${prefix}Blob2: fields.BinaryField(),`,
    `${prefix}Status: fields.CharEnumField({ values: [${values}], default: ${JSON.stringify(`alpha_${prefix}_state`)} }),`,
    `${prefix}Short: fields.CharEnumField({ values: ["a", "b"], null: true }),`,
    `${prefix}Level: fields.IntEnumField({ values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30], default: 0 }),`,
    `${prefix}LevelNull: fields.IntEnumField({ values: [1, 2], null: true }),`,
    `${LONG_FIELD}${prefix}: fields.DecimalField({ maxDigits: 12, decimalPlaces: 2, null: true }),`,
    `${LONG_FIELD}Kind${prefix}: fields.CharEnumField({ values: ["open", "closed"], null: true }),`,
    `${LONG_FIELD}Note${prefix}: fields.TextField({ null: true, description: "Short." }),`,
  ];
}

function model(name: string, body: readonly string[], options?: string): string {
  const fields = body.map((l) => `      ${l}`).join("\n");
  return options === undefined
    ? `  ${name}: {\n${fields.replace(/^ {2}/gm, "")}\n  },`
    : `  ${name}: model(\n    {\n${fields}\n    },\n    ${options},\n  ),`;
}

export function stressSchema(): string {
  const models = [
    model("Tiny", ["name: fields.CharField({ maxLength: 10 }),"]),
    model(
      "Everything",
      [
        "code: fields.CharField({ maxLength: 20, pk: true }),",
        ...scalarFields("x"),
        'tiny: fields.ForeignKeyField("Tiny", { relatedName: "everything", onDelete: "RESTRICT" }),',
        'tinyOptional: fields.ForeignKeyField("Tiny", { null: true, onDelete: "SET NULL", relatedName: "optionalEverything", column: "tiny_opt", description: "An optional key." }),',
        'twin: fields.OneToOneField("Tiny", { null: true, relatedName: "twin" }),',
        `tags: fields.ManyToManyField("Tag", { relatedName: "tagged", through: "everything_tag_links" }),`,
        `report: fields.ForeignKeyField("${LONG_MODEL}", { null: true, onDelete: "SET NULL" }),`,
      ],
      `{ table: "everything", ordering: ["-xAt", "xInt", "xChar", "xDecimal", "xDay", "xTime", "xUuid", "xBool"], uniqueTogether: [["xInt", "xChar"], ["xDay", "xTime"]], indexes: [["xStatus", "xLevel"], ["xAt"]], description: "Every kind of field, with a description long enough to need its own line in the meta object." }`,
    ),
    model("Tag", [
      "id: fields.UUIDField({ pk: true }),",
      'label: fields.CharEnumField({ values: ["red", "green"] }),',
      'parent: fields.ForeignKeyField("Tag", { null: true, relatedName: "children" }),',
    ]),
    model(
      LONG_MODEL,
      [
        `level: fields.IntEnumField({ values: [1, 2, 3], pk: true }),`,
        ...scalarFields("y").slice(0, 6),
        `${LONG_FIELD}: fields.DecimalField({ maxDigits: 30, decimalPlaces: 10, null: true, default: "1.5" }),`,
        `everything: fields.ForeignKeyField("Everything", { relatedName: "reportsWithAVeryLongRelatedNameIndeed" }),`,
        `owner: fields.OneToOneField("Tag", { relatedName: "ownedQuarterlyRegionalWarehouseReport", null: true, onDelete: "SET NULL" }),`,
        `peers: fields.ManyToManyField("${LONG_MODEL}", { relatedName: "peerOf", through: "report_peers" }),`,
        `tagsWithAnExtremelyLongRelationName: fields.ManyToManyField("Tag", { relatedName: "quarterlyReports", through: "report_tags" }),`,
      ],
      `{ uniqueTogether: [["everything", "owner"]], indexes: [["level"]] }`,
    ),
  ];
  return [
    "// Every field kind, option and relation, with names long enough to break lines (generated).",
    'import { defineSchema, model, fields } from "yara-orm/schema";',
    "",
    "export default defineSchema({",
    ...models,
    "});",
    "",
  ].join("\n");
}
