/**
 * `search`: full-text search by words, the same rows on every database for a fixed corpus.
 * A word is a run of letters and digits, lower-cased; a row matches when its text holds every
 * word of the query (Postgres: to_tsvector/plainto_tsquery with the 'simple' configuration
 * over the text's words; SQLite: yara_search). No stemming, stop words or accent folding.
 */
import { beforeEach, expect, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Entry } from "./generated/index.js";
import { forEachTarget, rejects, takeStatements } from "./harness.js";

const CORPUS: Array<[string, string | null]> = [
  ["fox", "The quick brown fox jumps over the lazy dog."],
  ["cafe", "A well-known café in Zürich"],
  ["mail", "Contact: ada@example.com or visit example.org/path/file.txt"],
  ["version", "Version 3.14 released; see v2.0 notes, 1e5 times"],
  ["greek", "ΟΔΟΣ και δρόμος"],
  ["snake", "snake_case and CamelCase, don't"],
  ["cjk", "東京 タワー"],
  ["math", "E = mc² and ½ of ٣ apples"],
  ["empty", ""],
  ["null", null],
];

const cases: Array<[string, string[]]> = [
  ["fox", ["fox"]],
  ["FOX dog", ["fox"]],
  ["fox cat", []],
  ["the", ["fox"]],
  ["well-known", ["cafe"]],
  ["known", ["cafe"]],
  ["cafe", []],
  ["CAFÉ", ["cafe"]],
  ["zürich", ["cafe"]],
  ["ada", ["mail"]],
  ["example com", ["mail"]],
  ["ada@example.com", ["mail"]],
  ["path file txt", ["mail"]],
  ["14", ["version"]],
  ["3.14", ["version"]],
  ["v2", ["version"]],
  ["1e5", ["version"]],
  ["snake", ["snake"]],
  ["case", ["snake"]],
  ["camelcase", ["snake"]],
  ["don't", ["snake"]],
  ["ΟΔΟΣ", ["greek"]],
  ["δρόμος", ["greek"]],
  ["東京", ["cjk"]],
  ["quick, brown!", ["fox"]],
  ["mc²", ["math"]],
  ["mc", ["math"]],
  ["٣", ["math"]],
];

forEachTarget((target) => {
  beforeEach(async () => {
    await Entry.all().delete();
    await Entry.bulkCreate(CORPUS.map(([label, body]) => ({ label, body })));
  });

  const labels = async (query: string): Promise<string[]> =>
    (await Entry.filter({ body__search: query })
      .orderBy("label")
      .valuesList("label", { flat: true })) as string[];

  it("finds the same rows for every query", async () => {
    for (const [query, expected] of cases)
      expect(await labels(query), JSON.stringify(query)).toEqual(expected);
  });

  it("binds the query's words", async () => {
    takeStatements();
    await labels("Well-Known  CAFÉ");
    const [statement] = takeStatements();
    if (target.dialect === "mysql") {
      // One PCRE2 pattern: every word present as a whole word, case-insensitively.
      const word = (w: string): string =>
        `(?=[\\s\\S]*(?<![\\p{L}\\p{Nd}])${w}(?![\\p{L}\\p{Nd}]))`;
      expect(statement!.params).toEqual([`(?i)^${word("well")}${word("known")}${word("café")}`]);
      expect(statement!.sql).toContain(`WHERE "entry"."body" REGEXP ?`);
      return;
    }
    expect(statement!.params).toEqual(["well known café"]);
    expect(statement!.sql).toContain(
      target.dialect === "postgres"
        ? `WHERE to_tsvector('simple', regexp_replace("entry"."body", '[^[:alnum:]]+', ' ', 'g')) @@ plainto_tsquery('simple', $1)`
        : `WHERE yara_search("entry"."body", ?)`,
    );
  });

  it("exclude keeps NULL text; a query without words is refused", async () => {
    const kept = await Entry.all()
      .exclude({ body__search: "the" })
      .orderBy("label")
      .valuesList("label", { flat: true });
    expect(kept).toEqual([
      "cafe",
      "cjk",
      "empty",
      "greek",
      "mail",
      "math",
      "null",
      "snake",
      "version",
    ]);
    for (const query of ["", "  ", "-- !"]) {
      const error = await rejects(Entry.filter({ body__search: query }));
      expect(error, JSON.stringify(query)).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain("search needs at least one word");
    }
  });
});
