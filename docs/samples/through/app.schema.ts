// The schema of docs/api.md "Many-to-many through a model". The client in ./generated is made
// from it before the tests run.
// #region schema
// app.schema.ts
import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
  Book: {
    title: fields.CharField({ maxLength: 200 }),
    tags: fields.ManyToManyField("Tag", { through: "BookTag" }),
  },
  Tag: { name: fields.CharField({ maxLength: 50 }) },
  BookTag: model(
    {
      book: fields.ForeignKeyField("Book"),
      tag: fields.ForeignKeyField("Tag"),
      note: fields.TextField(), // required: add() needs it in throughDefaults
      addedAt: fields.DatetimeField({ autoNowAdd: true }),
    },
    { uniqueTogether: [["book", "tag"]] },
  ),
});
// #endregion
