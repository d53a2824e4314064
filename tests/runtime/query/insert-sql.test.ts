/**
 * INSERT statements compiled once per shape (runtime/model/insert-sql.ts): every statement a
 * create() or bulkCreate() sends equals the same rows compiled from scratch, whether or not its
 * shape was seen before, and shapes that differ (fields set, row count, ON CONFLICT) never share SQL.
 */
import { describe, expect, test } from "vitest";
import type { Param } from "../../../runtime/index.js";
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { buildInsert, insertRow, type InsertRow } from "../../../runtime/query/insert.js";
import { InsertStatements } from "../../../runtime/model/insert-sql.js";
import { useFake } from "./fake-driver.js";
import { Author, Book, BOOK_COLUMNS } from "./fixtures.js";

type Dialect = "postgres" | "sqlite";

/** The INSERT of `data` rows compiled without any cache. */
function fresh(dialect: Dialect, data: readonly object[], onConflict?: "ignore") {
  const rows = data.map((d) => insertRow(Book.meta, d, new Date(0)));
  return dialectNamed(dialect).compiler.compile(
    buildInsert(Book.meta, rows, {
      onConflict: onConflict ? { action: "nothing", target: ["id"] } : undefined,
      returning: BOOK_COLUMNS,
    }),
  );
}

describe("INSERT statements by shape", () => {
  for (const dialect of ["postgres", "sqlite"] as const) {
    test(`${dialect}: each create() and bulkCreate() sends what a fresh compile gives`, async () => {
      const db = useFake(dialect);
      const inputs: object[][] = [
        [{ title: "a", authorId: 1 }],
        [{ title: "b", authorId: 2, price: "1.50" }],
        [{ title: "c", authorId: 3 }],
        [{ title: "d", authorId: 4, price: null, published: true }],
        [{ title: "e", authorId: 5, price: "2.00" }],
        [
          { title: "f", authorId: 6 },
          { title: "g", authorId: 7 },
        ],
        [
          { title: "h", authorId: 8 },
          { title: "i", authorId: 9 },
          { title: "j", authorId: 1 },
        ],
        [
          { title: "k", authorId: 2 },
          { title: "l", authorId: 3 },
        ],
      ];
      for (const data of inputs) {
        db.sent.length = 0;
        if (data.length === 1) await Book.objects.create(data[0] as never);
        else await Book.objects.bulkCreate(data as never);
        const { sql, params } = db.sent.find((s) => s.sql.startsWith("INSERT"))!;
        expect({ sql, params }).toEqual(fresh(dialect, data));
      }
      db.sent.length = 0;
      await Book.objects.bulkCreate([{ title: "m", authorId: 4 }] as never, {
        onConflict: { ignore: true, conflict: ["id" as never] },
      });
      const sent: { sql: string; params: readonly Param[] } = db.sent[0]!;
      expect({ sql: sent.sql, params: sent.params }).toEqual(
        fresh(dialect, [{ title: "m", authorId: 4 }], "ignore"),
      );
    });
  }

  test("an instance given for a relation binds its key", async () => {
    const db = useFake("postgres");
    await Book.objects.create({ title: "x", authorId: 1 });
    await Book.objects.create({ title: "y", author: new Author(42, "Ada", null, new Date()) });
    expect(db.last.params).toEqual(["y", null, false, 42]);
  });

  test("the same fields in another order are another statement, not the cached one", () => {
    const statements = new InsertStatements(Book.meta);
    const sqlite = dialectNamed("sqlite");
    const title = Book.meta.fields.find((f) => f.name === "title")!;
    const authorId = Book.meta.fields.find((f) => f.name === "authorId")!;
    const options = { onConflict: undefined, returning: BOOK_COLUMNS };
    const inOrder: InsertRow = { fields: [title, authorId], values: ["a", 1] };
    const reversed: InsertRow = { fields: [authorId, title], values: [2, "b"] };
    for (const row of [inOrder, reversed, inOrder, reversed]) {
      const expected = sqlite.compiler.compile(buildInsert(Book.meta, [row], options));
      expect(statements.compile([row], sqlite, options)).toEqual(expected);
    }
    const first = statements.compile([inOrder], sqlite, options).sql;
    expect(statements.compile([reversed], sqlite, options).sql).not.toBe(first);
  });
});
