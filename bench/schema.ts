// The benchmark's schema: 1 000 authors and 50 000 books with a decimal, a boolean, a float and a
// datetime column. `npm run bench` compiles it with yara-gen into bench/generated/yara; every
// other library maps the same two tables (bench/peers/).
import { defineSchema, model, fields } from "yara-orm/schema";

export default defineSchema({
  Author: model(
    {
      id: fields.IntField({ pk: true }),
      name: fields.CharField({ maxLength: 100, index: true }),
    },
    { table: "bench_authors" },
  ),
  Book: model(
    {
      id: fields.IntField({ pk: true }),
      title: fields.CharField({ maxLength: 200 }),
      price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
      published: fields.BooleanField({ default: false }),
      rating: fields.FloatField(),
      publishedAt: fields.DatetimeField(),
      author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),
    },
    { table: "bench_books" },
  ),
});
