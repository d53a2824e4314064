// The schema of the app tests/install/packaged-app.test.ts installs yara into: read by the
// installed `yara-gen`, never by this repository's own generator run.
import { defineSchema, fields, model } from "yara-orm/schema";

export default defineSchema({
  Author: { name: fields.CharField({ maxLength: 100 }) },
  Book: model(
    {
      title: fields.CharField({ maxLength: 200, index: true }),
      price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
      author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),
    },
    { table: "books", ordering: ["title"] },
  ),
});
