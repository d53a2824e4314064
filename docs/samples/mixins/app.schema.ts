// The schema of docs/api.md "Abstract models (mixins)". The client in ./generated is made from
// it before the tests run.
// #region schema
// app.schema.ts
import { abstract, defineSchema, model, fields } from "yara-orm/schema";

const Timestamped = abstract({
  createdAt: fields.DatetimeField({ autoNowAdd: true }),
  updatedAt: fields.DatetimeField({ autoNow: true }),
});

const SoftDeleted = { deleted: fields.BooleanField({ default: false }) };

export default defineSchema({
  Author: { name: fields.CharField({ maxLength: 100 }), ...Timestamped },
  Post: model(
    { ...Timestamped, ...SoftDeleted, title: fields.CharField({ maxLength: 200 }) },
    { ordering: ["-createdAt"] },
  ),
});
// #endregion
