// The schema of docs/api.md "Generated values and defaults". The client in ./generated is made
// from it before the tests run.
// #region schema
// app.schema.ts
import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Ticket: {
    id: fields.UUIDField({ pk: true }), // a UUID v4 per row when none is given
    title: fields.CharField({ maxLength: 100 }),
  },
});
// #endregion
