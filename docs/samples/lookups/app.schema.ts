// The schema of docs/api.md "Lookups": a model with a text, a datetime, a date, a time and a
// JSON field. The client in ./generated is made from it before the tests run.
// #region schema
// app.schema.ts
import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Post: {
    title: fields.CharField({ maxLength: 100 }),
    body: fields.TextField({ default: "" }),
    postedAt: fields.DatetimeField(),
    day: fields.DateField({ null: true }),
    opensAt: fields.TimeField({ null: true }),
    meta: fields.JSONField({ null: true }),
  },
});
// #endregion
