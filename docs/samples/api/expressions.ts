// docs/api.md §3, "Expressions": Case, subqueries, RawSQL, functions, arithmetic and the
// aggregates that go beyond Count/Sum/Avg/Min/Max.
import assert from "node:assert/strict";
import {
  ArrayAgg,
  Author,
  Book,
  Case,
  Cast,
  Concat,
  Count,
  Exists,
  Extract,
  F,
  Left,
  Now,
  OuterRef,
  Q,
  RawSQL,
  Replace,
  Round,
  StringAgg,
  Subquery,
  Tag,
  Value,
  When,
  YaraOrm,
} from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada", email: "ada@example.com" });
const grace = await Author.create({ name: "Grace" });
await Author.create({ name: "Edsger" }); // no books
const [notes, sketch, cobol] = await Book.bulkCreate([
  { title: "Notes", price: "19.99", author: ada, published: true },
  { title: "Sketch", price: "7.50", author: ada },
  { title: "COBOL", price: null, author: grace, published: true },
]);
const [sf, classic] = await Tag.bulkCreate([{ name: "sf" }, { name: "classic" }]);
await notes!.tags.add(sf!, classic!);
await sketch!.tags.add(classic!);
await cobol!.tags.add(classic!);

// #region case
const banded = await Book.annotate({
  band: Case(
    When({ price__gte: "10" }, "dear"),
    When(Q.or({ price__isnull: true }, { published: false }), "other"),
    { default: "cheap" },
  ),
}).orderBy("band", "title");                  // band: string; the first When that holds wins
await Book.all().update({
  price: Case(When({ published: false }, F("price").mul(2)), { default: F("price") }),
});
const draftsFirst = await Book.all().orderBy(Case(When({ published: false }, 0), { default: 1 }), "title");
// #endregion

typeIs<string>()(banded[0]!.band);
assert.deepEqual(
  banded.map((b) => [b.title, b.band]),
  [
    ["Notes", "dear"],
    ["COBOL", "other"],
    ["Sketch", "other"],
  ],
);
assert.equal((await Book.get({ title: "Sketch" })).price, "15.00");
assert.deepEqual(
  draftsFirst.map((b) => b.title),
  ["Sketch", "COBOL", "Notes"],
);

// #region subquery
const authors = await Author.annotate({
  latest: Subquery(
    Book.filter({ author: OuterRef("id") }).orderBy("-id").valuesList("title", { flat: true }),
  ),                                          // string | null: the first row, NULL when none
  drafting: Exists(Book.filter({ author: OuterRef("id"), published: false })),
}).orderBy("id");
const byAda = await Book.filter({
  author__in: Author.filter({ email__endswith: "@example.com" }).valuesList("id", { flat: true }),
});
// #endregion

typeIs<string | null>()(authors[0]!.latest);
typeIs<boolean>()(authors[0]!.drafting);
assert.deepEqual(
  authors.map((a) => [a.name, a.latest, a.drafting]),
  [
    ["Ada", "Sketch", true],
    ["Grace", "COBOL", false],
    ["Edsger", null, false],
  ],
);
assert.deepEqual(byAda.map((b) => b.title).sort(), ["Notes", "Sketch"]);

// #region raw
const scored = await Book.annotate({
  score: RawSQL("length(\"books\".\"title\") * CAST(? AS INTEGER)", [10], "integer"),
}).orderBy("id");                             // `?` on every database, renumbered $1… on Postgres
// #endregion

typeIs<number | null>()(scored[0]!.score);
assert.deepEqual(
  scored.map((b) => b.score),
  [50, 60, 50],
);

// #region functions
const rows = await Book.annotate({
  label: Concat(Left("title", 3), Value("… by "), "author__name"),
  slug: Replace("title", " ", "-"),
  rounded: Round("price", 1),                 // half away from zero on both databases
  whole: Cast("price", "integer"),            // toward zero; casts that print differently are refused
  year: Extract("author__createdAt", "year"),
  rest: F("price").mod(7),                    // % : the sign of the dividend; NULL for mod(0)
  squared: F("price").pow(2),                 // ** : a float
}).orderBy("id");
await Author.filter({ id: ada.id }).update({ createdAt: Now() });
// #endregion

assert.deepEqual(
  rows.map((r) => [r.label, r.slug, r.rounded, r.whole, r.rest]),
  [
    ["Not… by Ada", "Notes", "20.0", 19, "5.99"],
    ["Ske… by Ada", "Sketch", "15.0", 15, "1.00"],
    ["COB… by Grace", "COBOL", null, null, null],
  ],
);
assert.equal(rows[0]!.year, new Date().getUTCFullYear());
assert.equal(rows[1]!.squared, 225);

// #region aggregates
const tagged = await Author.annotate({
  published: Count("books", { filter: Q({ books__published: true }) }),
  tagged: Count("books__tags"),               // book–tag pairs, as Django's joins count them
  tags: Count("books__tags", { distinct: true }),
  titles: StringAgg("books__title", ", "),    // ascending; NULL over no rows
  tagNames: ArrayAgg<string>("books__tags__name", { distinct: true }), // [] over no rows
}).orderBy("id");
// #endregion

typeIs<string | null>()(tagged[0]!.titles);
typeIs<string[]>()(tagged[0]!.tagNames);
assert.deepEqual(
  tagged.map((a) => [a.name, a.published, a.tagged, a.tags, a.titles, a.tagNames]),
  [
    ["Ada", 1, 3, 2, "Notes, Sketch", ["classic", "sf"]],
    ["Grace", 1, 1, 1, "COBOL", ["classic"]],
    ["Edsger", 0, 0, 0, null, []],
  ],
);
await YaraOrm.close();
