// docs/api.md §3, "Lookups": regex, search, date parts and JSON, each run on every database.
import assert from "node:assert/strict";
import { Post, YaraOrm } from "./generated/index.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
await Post.bulkCreate([
  {
    title: "Release 2.0",
    body: "The well-known café reopens.",
    postedAt: new Date("2020-12-31T23:30:00Z"),
    day: "2021-01-03",
    opensAt: "08:30",
    meta: { author: { name: "Ada" }, tags: ["news", "food"], score: 5, draft: null },
  },
  {
    title: "release notes",
    body: "Notes on the café menu",
    postedAt: new Date("2024-12-30T12:00:00Z"),
    day: "2024-12-30",
    opensAt: "18:00",
    meta: { author: { name: "Grace" }, tags: ["food"], score: 2 },
  },
  {
    title: "Untitled",
    postedAt: new Date("2024-02-29T06:05:04Z"),
    meta: null,
  },
]);
const titles = (posts: Post[]): string[] => posts.map((p) => p.title).sort();

// #region regex
const releases = await Post.filter({ title__regex: "^Release [0-9]+\\.[0-9]$" }); // case-sensitive
const anyCase = await Post.filter({ title__iregex: "^release" }); // ignores case
// #endregion
assert.deepEqual(titles(releases), ["Release 2.0"]);
assert.deepEqual(titles(anyCase), ["Release 2.0", "release notes"]);

// #region search
const cafe = await Post.filter({ body__search: "Café well-known" }); // every word, any order
// #endregion
assert.deepEqual(titles(cafe), ["Release 2.0"]);

// #region dates
await Post.filter({ postedAt__year: 2024 });                 // datetimes at UTC
await Post.filter({ postedAt__quarter: 4, postedAt__month__in: [11, 12] });
await Post.filter({ postedAt__week: 53 });                   // ISO week: 2020-12-31 is in week 53
await Post.filter({ postedAt__week_day: 5 });                // 1 = Sunday … 7 = Saturday
await Post.filter({ postedAt__iso_week_day__gte: 6 });       // 1 = Monday … 7 = Sunday
await Post.filter({ postedAt__day__range: [1, 15] });
await Post.filter({ postedAt__hour__gte: 12, postedAt__minute: 0, postedAt__second__lt: 30 });
await Post.filter({ postedAt__date: "2024-12-30" });         // the date at UTC
await Post.filter({ postedAt__time__lt: "09:00" });          // the time of day at UTC
await Post.filter({ day__week: 1, opensAt__hour__lt: 12 });  // dates and times have their parts
// #endregion
assert.deepEqual(titles(await Post.filter({ postedAt__year: 2024 })), ["Untitled", "release notes"]);
assert.deepEqual(titles(await Post.filter({ postedAt__week: 53 })), ["Release 2.0"]);
assert.deepEqual(titles(await Post.filter({ postedAt__week_day: 5 })), ["Release 2.0", "Untitled"]);
assert.deepEqual(titles(await Post.filter({ postedAt__iso_week_day__gte: 6 })), []);
assert.deepEqual(titles(await Post.filter({ postedAt__date: "2024-12-30" })), ["release notes"]);
assert.deepEqual(titles(await Post.filter({ postedAt__time__lt: "09:00" })), ["Untitled"]);
assert.deepEqual(titles(await Post.filter({ day__week: 1, opensAt__hour__lt: 12 })), []);
assert.deepEqual(titles(await Post.filter({ day__week: 53, opensAt__hour__lt: 12 })), ["Release 2.0"]);

// #region json
await Post.filter({ meta__author__name: "Ada" });              // a path: key, key
await Post.filter({ meta__tags__0: "news" });                  // a digit step is an array index
await Post.filter({ meta__score__gte: 3 });                    // numbers compare with numbers only
await Post.filter({ meta__draft: null });                      // JSON null: the key holds null
await Post.filter({ meta__draft__isnull: true });              // no such key (or a NULL document)
await Post.filter({ meta: null });                             // SQL NULL: no document at all
await Post.filter({ meta__contains: { tags: ["food"] } });     // jsonb @>
await Post.filter({ meta__contained_by: { score: 2, tags: ["food", "news"], author: { name: "Grace" } } });
await Post.filter({ meta__has_key: "draft" });
await Post.filter({ meta__has_keys: ["author", "score"], meta__has_any_keys: ["draft", "x"] });
// #endregion
const json = async (where: Parameters<typeof Post.filter>[0]) => titles(await Post.filter(where));
assert.deepEqual(await json({ meta__author__name: "Ada" }), ["Release 2.0"]);
assert.deepEqual(await json({ meta__tags__0: "news" }), ["Release 2.0"]);
assert.deepEqual(await json({ meta__score__gte: 3 }), ["Release 2.0"]);
assert.deepEqual(await json({ meta__draft: null }), ["Release 2.0"]);
assert.deepEqual(await json({ meta__draft__isnull: true }), ["Untitled", "release notes"]);
assert.deepEqual(await json({ meta: null }), ["Untitled"]);
assert.deepEqual(await json({ meta__contains: { tags: ["food"] } }), ["Release 2.0", "release notes"]);
assert.deepEqual(
  await json({
    meta__contained_by: { score: 2, tags: ["food", "news"], author: { name: "Grace" } },
  }),
  ["release notes"],
);
assert.deepEqual(await json({ meta__has_key: "draft" }), ["Release 2.0"]);
assert.deepEqual(
  await json({ meta__has_keys: ["author", "score"], meta__has_any_keys: ["draft", "x"] }),
  ["Release 2.0"],
);
await YaraOrm.close();
