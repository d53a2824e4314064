/**
 * JSON lookups, the same rows on every database for the same documents: key paths with
 * comparisons (a scalar matches only a value of its own JSON type), JSON null at a path
 * (`data__k: null`: the key is there and holds null) against a missing key (`data__k__isnull`)
 * and a NULL document (`data: null`, `data__isnull`), containment both ways with Postgres'
 * jsonb rules, and top-level keys.
 */
import { beforeEach, expect, it } from "vitest";
import { FieldError, ValidationError } from "../../runtime/errors.js";
import type { JsonValue } from "../../runtime/types/json.js";
import { Entry } from "./generated/index.js";
import { forEachTarget, rejects, takeStatements } from "./harness.js";

const DOCS: Array<[string, JsonValue]> = [
  ["j1", { a: { b: 1 }, tags: ["x", "y"], score: 5, name: "Ada", flag: true, nil: null }],
  ["j2", { a: { b: "1" }, tags: ["y"], score: 2.5, name: "Bob", flag: false }],
  ["j3", { a: { b: 1, c: [1, 2] }, score: "5", tags: [] }],
  ["j4", [1, "x", { k: "v" }]],
  ["j5", "x"],
  ["j6", { "é clé": "ü", "0": "zero", "a.b": 1 }],
  ["j7", null],
  ["j8", {}],
  ["j9", 42],
];
const ALL = DOCS.map(([label]) => label);
const but = (...labels: string[]): string[] => ALL.filter((l) => !labels.includes(l));

type Where = Parameters<typeof Entry.filter>[0];
const cases: Array<[Where, string[]]> = [
  [{ data__a__b: 1 }, ["j1", "j3"]],
  [{ data__a__b: "1" }, ["j2"]],
  [{ data__a__b__exact: 1.0 }, ["j1", "j3"]],
  [{ data__tags__0: "x" }, ["j1"]],
  [{ data__tags__1: "y" }, ["j1"]],
  [{ data__0: 1 }, ["j4"]],
  [{ data__0: 42 }, []], // a scalar document has no elements
  [{ data__name__0: "Ada" }, []],
  [{ data__2__k: "v" }, ["j4"]],
  [{ data__a__c__1: 2 }, ["j3"]],
  [{ data__nil: null }, ["j1"]],
  [{ data__nil__isnull: true }, but("j1")],
  [{ data__nil__isnull: false }, ["j1"]],
  [{ data__a__isnull: false }, ["j1", "j2", "j3"]],
  [{ data__score__gte: 3 }, ["j1"]],
  [{ data__score__lt: 3 }, ["j2"]],
  [{ data__score__gte: "3" }, ["j3"]],
  [{ data__name__gt: "B" }, ["j2"]],
  [{ data__flag: true }, ["j1"]],
  [{ data__flag: false }, ["j2"]],
  [{ "data__é clé": "ü" }, ["j6"]],
  [{ data__contains: { a: { b: 1 } } }, ["j1", "j3"]],
  [{ data__contains: { tags: ["y"] } }, ["j1", "j2"]],
  [{ data__contains: { tags: [] } }, ["j1", "j2", "j3"]],
  [{ data__contains: { a: { c: [2] } } }, ["j3"]],
  [{ data__contains: { a: { b: 1.0 }, nil: null } }, ["j1"]],
  [{ data__contains: { tags: "x" } }, []],
  [{ data__contains: "x" }, ["j4", "j5"]],
  [{ data__contains: 42 }, ["j9"]],
  [{ data__contains: [{ k: "v" }] }, ["j4"]],
  [{ data__contains: [1, "x"] }, ["j4"]],
  [{ data__contains: [] }, ["j4"]],
  [{ data__contains: {} }, ["j1", "j2", "j3", "j6", "j8"]],
  [{ data__contains: { "é clé": "ü", "a.b": 1 } }, ["j6"]],
  [{ data__contains: { flag: true } }, ["j1"]],
  [{ data__contained_by: { a: { b: 1, c: [1, 2, 3] }, score: "5", tags: ["z"] } }, ["j3", "j8"]],
  [{ data__contained_by: ["x", 1, { k: "v", z: 1 }] }, ["j4", "j5"]],
  [{ data__contained_by: 42 }, ["j9"]],
  [{ data__contained_by: {} }, ["j8"]],
  [{ data__has_key: "tags" }, ["j1", "j2", "j3"]],
  [{ data__has_key: "0" }, ["j6"]],
  [{ data__has_key: "nil" }, ["j1"]],
  [{ data__has_keys: ["a", "score"] }, ["j1", "j2", "j3"]],
  [{ data__has_keys: ["a", "name", "a"] }, ["j1", "j2"]],
  [{ data__has_any_keys: ["name", "é clé"] }, ["j1", "j2", "j6"]],
  [{ data__isnull: true }, ["j7"]],
  [{ data: null }, ["j7"]],
];

forEachTarget((target) => {
  beforeEach(async () => {
    await Entry.all().delete();
    await Entry.bulkCreate(DOCS.map(([label, data]) => ({ label, data })));
  });

  const labels = async (where: Where): Promise<string[]> =>
    (await Entry.filter(where).orderBy("label").valuesList("label", { flat: true })) as string[];

  it("finds the same documents on every database", async () => {
    for (const [where, expected] of cases)
      expect(await labels(where), JSON.stringify(where)).toEqual(expected);
  });

  it("contains looks into the document's own elements only, never into nested arrays (jsonb @>)", async () => {
    // MariaDB's JSON_CONTAINS finds {} inside [[[{}]]]; Postgres' @> does not, nor may any database.
    await Entry.all().delete();
    await Entry.bulkCreate([
      { label: "n1", data: [[[{}]]] },
      { label: "n2", data: [[1]] },
      { label: "n3", data: [1] },
      { label: "n4", data: { a: [[{ b: 1 }]] } },
    ]);
    expect(await labels({ data__contains: {} })).toEqual(["n4"]); // objects only
    expect(await labels({ data__contains: [{}] })).toEqual([]);
    expect(await labels({ data__contains: [[[{}]]] })).toEqual(["n1"]);
    expect(await labels({ data__contains: [1] })).toEqual(["n3"]);
    expect(await labels({ data__contains: [[1]] })).toEqual(["n2"]);
    expect(await labels({ data__contains: 1 })).toEqual(["n3"]);
    expect(await labels({ data__contains: { a: [{ b: 1 }] } })).toEqual([]);
    expect(await labels({ data__contains: { a: [[{ b: 1 }]] } })).toEqual(["n4"]);
    expect(await labels({ data__contained_by: [[1], 1] })).toEqual(["n2", "n3"]);
  });

  it("exclude keeps documents without the key, and NULL documents", async () => {
    const kept = await Entry.all()
      .exclude({ data__a__b: 1 })
      .orderBy("label")
      .valuesList("label", { flat: true });
    expect(kept).toEqual(but("j1", "j3"));
    const noKey = await Entry.all()
      .exclude({ data__has_key: "tags" })
      .orderBy("label")
      .valuesList("label", { flat: true });
    expect(noKey).toEqual(but("j1", "j2", "j3"));
  });

  it("binds path keys, indexes and values", async () => {
    takeStatements();
    await labels({ data__tags__0: "x" });
    const [statement] = takeStatements();
    if (target.dialect === "postgres") {
      expect(statement!.sql).toContain(
        `WHERE (CASE WHEN jsonb_typeof("entry"."data" -> CAST($1 AS TEXT)) = 'array' THEN "entry"."data" -> CAST($1 AS TEXT) -> CAST($2 AS INTEGER) END) = CAST($3 AS JSONB)`,
      );
      expect(statement!.params).toEqual(["tags", 0, '"x"']);
    } else if (target.dialect === "mysql") {
      // Each step its own bound path; an index only into an array.
      const tags = `JSON_EXTRACT("entry"."data", ?)`;
      const at = `(CASE WHEN JSON_TYPE(${tags}) = 'ARRAY' THEN JSON_EXTRACT(${tags}, ?) END)`;
      expect(statement!.sql).toContain(
        `WHERE COALESCE((JSON_TYPE(${at}) = 'STRING' AND CONVERT(JSON_VALUE(${at}, '$') USING utf8mb4) COLLATE utf8mb4_nopad_bin = ?), FALSE)`,
      );
      const path = ['$."tags"', '$."tags"', "$[0]"];
      expect(statement!.params).toEqual([...path, ...path, "x"]);
    } else {
      expect(statement!.sql).toContain(
        `WHERE (json_type("entry"."data", ?) IN ('text') AND json_extract("entry"."data", ?) = ?)`,
      );
      expect(statement!.params).toEqual(['$."tags"[0]', '$."tags"[0]', "x"]);
    }
  });

  it("refuses keys outside the pattern, lookups a path cannot take and values of the wrong type", async () => {
    const fieldErrors = [
      { "data__a.b": 1 },
      { 'data__a"': 1 },
      { data__a__$: 1 },
      { data__a__contains: 1 },
      { data__a__has_key: "x" },
      { data__a__icontains: "x" },
      { data__a__year: 1 },
      { data__icontains: "x" },
      { data__regex: "x" },
    ];
    for (const where of fieldErrors)
      expect(await rejects(Entry.filter(where as never)), JSON.stringify(where)).toBeInstanceOf(
        FieldError,
      );
    const valueErrors = [
      { data__a: { x: 1 } },
      { data__a: [1] },
      { data__a__gt: true },
      { data__a__gt: null },
      { data__a__isnull: 1 },
      { data__has_keys: [] },
      { data__has_keys: ["a", 1] },
      { data__has_key: 1 },
      { data__has_key: "a\u0000" },
      { data__has_any_keys: ["b", "\u0000"] },
      { data__contains: null },
      { data__contains: { a: undefined, b: () => 1 } },
      { data__contains: JSON.parse("[".repeat(18) + "]".repeat(18)) as JsonValue },
      { data__gt: 1 },
    ];
    for (const where of valueErrors)
      expect(await rejects(Entry.filter(where as never)), JSON.stringify(where)).toBeInstanceOf(
        ValidationError,
      );
    void (() => {
      // @ts-expect-error has_keys takes a list of keys
      Entry.filter({ data__has_keys: "a" });
      // @ts-expect-error has_key takes a key
      Entry.filter({ data__has_key: ["a"] });
      // @ts-expect-error contains takes JSON
      Entry.filter({ data__contains: new Map() });
      // A path is typed unknown: its value is checked when the query runs.
      Entry.filter({ data__a__b: 1, data__score__gte: 3, data__nil__isnull: true });
    });
  });
});
