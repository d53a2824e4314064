// The schema of README.md's "A taste". The generated client taste.ts imports (./generated) is
// made from it before the tests run (tests/support/generate-client.ts).
// #region schema
// app.schema.ts
import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
  Author: { name: fields.CharField({ maxLength: 100 }) },
  Book: model(
    {
      title: fields.CharField({ maxLength: 200, index: true }),
      price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
      author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),
    },
    { table: "books", ordering: ["-id"] },
  ),
});
// #endregion
