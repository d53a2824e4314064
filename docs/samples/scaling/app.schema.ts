// docs/scaling.md: an app with two databases — the shop on "default", page views on
// "analytics".
import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
  // #region schema
  Author: {
    name: fields.CharField({ maxLength: 100 }),
  },
  Book: {
    title: fields.CharField({ maxLength: 200 }),
    author: fields.ForeignKeyField("Author", { relatedName: "books" }),
  },
  PageView: model(
    {
      path: fields.CharField({ maxLength: 200 }),
      at: fields.DatetimeField({ autoNowAdd: true }),
    },
    { connection: "analytics" }, // lives in the analytics database
  ),
  // #endregion
});
