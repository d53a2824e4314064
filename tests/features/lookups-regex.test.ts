/**
 * `regex` / `iregex`: one dialect of regular expressions on every database (the subset of
 * runtime/query/regex-pattern.ts), so each pattern finds the same rows on Postgres (`~`,
 * `~*`) and on SQLite (`yara_regexp`, JavaScript's RegExp on better-sqlite3 and Rust's regex
 * in the native engine); patterns outside the subset are refused before any SQL.
 */
import { beforeEach, expect, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Author, Book, Entry } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

const ROWS: Array<[string, string | null]> = [
  ["a", "Hello World"],
  ["b", "hello world"],
  ["c", "Émile Zola"],
  ["d", "émile zola"],
  ["e", "line1\nline2"],
  ["f", ""],
  ["g", null],
  ["h", "a.b*c"],
  ["i", "日本語テキスト"],
  ["j", "ΟΔΟΣ"],
  ["k", "tab\there"],
  ["l", "price: 42€"],
  ["m", "[x]{y}|\\"],
  ["n", "😀 smile"],
];
const NOT_NULL = ROWS.filter(([, body]) => body !== null).map(([label]) => label);

/** Pattern, lookup, labels found. */
const cases: Array<[string, "regex" | "iregex", string[]]> = [
  ["^Hello", "regex", ["a"]],
  ["world$", "regex", ["b"]],
  ["^h", "iregex", ["a", "b"]],
  ["HELLO", "iregex", ["a", "b"]],
  ["émile", "regex", ["d"]],
  ["émile", "iregex", ["c", "d"]],
  ["É", "iregex", ["c", "d"]],
  ["οδοσ", "iregex", ["j"]],
  ["line1.line2", "regex", ["e"]],
  ["^line2$", "regex", []],
  ["^$", "regex", ["f"]],
  ["", "regex", NOT_NULL],
  ["a\\.b\\*c", "regex", ["h"]],
  ["\\d+€", "regex", ["l"]],
  ["[0-9]{2}", "regex", ["l"]],
  ["\\[x\\]\\{y\\}\\|\\\\", "regex", ["m"]],
  ["[^ -~\\t\\n]", "regex", ["c", "d", "i", "j", "l", "n"]],
  ["日本", "regex", ["i"]],
  ["^.\\s", "regex", ["n"]],
  ["(?:hello|émile) (world|zola)", "iregex", ["a", "b", "c", "d"]],
  ["l{2}", "regex", ["a", "b"]],
  ["\\w+ \\w+", "regex", ["a", "b", "c", "d"]],
  ["\\W", "regex", NOT_NULL.filter((l) => l !== "f")],
  ["^[a-z]+\\S*$", "regex", ["h"]],
  ["^[a-z]+\\s[a-z]+$", "iregex", ["a", "b", "k"]],
  ["e\\tH", "iregex", []],
  ["b\\th", "regex", ["k"]],
  ["o+?r", "regex", ["a", "b"]],
  ["^(a|b|)\\.", "regex", ["h"]],
  ["[-.]b", "regex", ["h"]],
];

const refused: string[] = [
  "\\bword",
  "(a)\\1",
  "(?=a)",
  "(?i)a",
  "\\p{L}",
  "[[:alpha:]]",
  "a{256}",
  "(a{200}){200}",
  "a**",
  "*a",
  "(a",
  "a)",
  "[]a]",
  "[z-a]",
  "\\x41",
  "{",
  "a}",
  "[\\D]",
  "\\",
  "^*",
];

forEachTarget((target) => {
  beforeEach(async () => {
    await Entry.all().delete();
    await Entry.bulkCreate(ROWS.map(([label, body]) => ({ label, body })));
  });

  const labels = async (where: Parameters<typeof Entry.filter>[0]): Promise<string[]> =>
    (await Entry.filter(where).orderBy("label").valuesList("label", { flat: true })) as string[];

  it("finds the same rows for every pattern of the subset", async () => {
    for (const [pattern, lookup, expected] of cases) {
      const where = lookup === "regex" ? { body__regex: pattern } : { body__iregex: pattern };
      expect(await labels(where), `${lookup} ${JSON.stringify(pattern)}`).toEqual(expected);
    }
  });

  it("binds the canonical pattern: ~ / ~* on Postgres, yara_regexp on SQLite", async () => {
    takeStatements();
    await labels({ body__iregex: "a.b|c" });
    const [statement] = takeStatements();
    const where = {
      postgres: `WHERE "entry"."body" ~* $1`,
      sqlite: `WHERE yara_iregexp("entry"."body", ?)`,
      mysql: `WHERE "entry"."body" REGEXP ?`,
    }[target.dialect];
    expect(statement!.sql).toContain(where);
    // MariaDB's PCRE2: flags up front (`.` matches a newline, as on Postgres), \x{…} escapes.
    const mysql = target.dialect === "mysql";
    expect(statement!.params).toEqual([mysql ? "(?si)a.b|c" : "a.b|c"]);
    takeStatements();
    await labels({ body__regex: "a b\\." });
    expect(takeStatements()[0]!.params).toEqual([
      mysql ? "(?s-i)a\\x{0020}b\\x{002e}" : "a\\u0020b\\u002e",
    ]);
  });

  it("excludes keep rows whose text is NULL", async () => {
    const kept = await Entry.all()
      .exclude({ body__regex: "o" })
      .orderBy("label")
      .valuesList("label", { flat: true });
    expect(kept).toEqual(["e", "f", "g", "h", "i", "j", "k", "l", "m", "n"]);
  });

  it("works through relations: a to-one join and a to-many EXISTS", async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada Lovelace" });
    const grace = await Author.create({ name: "Grace Hopper" });
    await Book.create({ title: "Notes on the Engine", author: ada });
    await Book.create({ title: "COBOL", author: grace });
    const books = await Book.filter({ author__name__iregex: "^ada " }).valuesList("title", {
      flat: true,
    });
    expect(books).toEqual(["Notes on the Engine"]);
    const authors = await Author.filter({ books__title__regex: "^[A-Z]+$" }).valuesList("name", {
      flat: true,
    });
    expect(authors).toEqual(["Grace Hopper"]);
    await resetData();
  });

  it("refuses a pattern outside the subset, naming the construct", async () => {
    for (const pattern of refused) {
      const error = await rejects(Entry.filter({ body__regex: pattern }));
      expect(error, pattern).toBeInstanceOf(ValidationError);
      expect((error as Error).message, pattern).toMatch(/^Entry\.body: regex: /);
    }
    expect(await rejects(Entry.filter({ id__regex: "1" } as never))).toBeInstanceOf(Error);
    // @ts-expect-error regex takes a string
    expect(await rejects(Entry.filter({ body__regex: 1 }))).toBeInstanceOf(ValidationError);
  });
});
