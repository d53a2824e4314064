// The schema of docs/migrations.md: a Book that has gained a slug since its first migration
// (migrations/0001_initial.ts); migrations/0002_add_slug.ts adds it.
// #region schema
import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Book: {
    title: fields.CharField({ maxLength: 200 }),
    slug: fields.CharField({ maxLength: 50 }),
  },
});
// #endregion
