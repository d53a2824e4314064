// The seed example's schema: authors, their books and tags. `npm run example` compiles it with
// yara-gen into ./generated and runs seed.ts against it.
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
      id: fields.IntField({ pk: true }),
      title: fields.CharField({ maxLength: 200, index: true }),
      price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
      published: fields.BooleanField({ default: false }),
      author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),
      tags: fields.ManyToManyField("Tag", { relatedName: "books" }),
    },
    { table: "books", ordering: ["-id"], uniqueTogether: [["title", "author"]] },
  ),
  Tag: {
    id: fields.IntField({ pk: true }),
    name: fields.CharField({ maxLength: 50, unique: true }),
  },
});
