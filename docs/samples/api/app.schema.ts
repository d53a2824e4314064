// The schema of docs/api.md §1. The generated client the other samples in this folder import
// (./generated) is made from it before the tests run (tests/support/generate-client.ts).
// #region schema
// app.schema.ts
import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
  Author: {
    id: fields.IntField({ pk: true }),
    name: fields.CharField({ maxLength: 100 }),
    email: fields.CharField({ maxLength: 200, unique: true, null: true }),
    createdAt: fields.DatetimeField({ autoNowAdd: true }),
  },
  Book: model(
    {
      title: fields.CharField({ maxLength: 200, index: true }),
      price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
      published: fields.BooleanField({ default: false }),
      author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),
      tags: fields.ManyToManyField("Tag", { relatedName: "books" }),
    },
    { table: "books", ordering: ["-id"], uniqueTogether: [["title", "author"]] },
  ),
  Tag: { name: fields.CharField({ maxLength: 50, unique: true }) },
});
// #endregion
