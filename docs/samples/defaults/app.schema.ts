// The schema of docs/api.md "Generated values and defaults". The client in ./generated is made
// from it before the tests run.
// #region schema
// app.schema.ts
import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Ticket: {
    id: fields.UUIDField({ pk: true }), // a UUID v4 per row when none is given
    title: fields.CharField({ maxLength: 100 }),
    openedAt: fields.DatetimeField({ defaultFactory: "now" }), // computed by yara, per row
    dueOn: fields.DateField({ defaultFactory: "today" }),
    code: fields.CharField({ maxLength: 36, defaultFactory: "uuid4" }),
    loggedAt: fields.DatetimeField({ dbDefault: "now" }), // computed by the database
    traceId: fields.UUIDField({ dbDefault: "uuid" }),
    priority: fields.IntField({ dbDefault: 3 }),
  },
});
// #endregion
