import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { FieldError, ValidationError } from "../../runtime/errors.js";
import { Author, Book, Case, Concat, F, Item, Length, Q, Value, When } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

forEachTarget((target: Target) => {
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
  const text = (n: number): string =>
    ({ postgres: `CAST($${n} AS TEXT)`, sqlite: "?", mysql: "CAST(? AS CHAR)" })[target.dialect];

  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { id: 1, title: "Dune", price: "9.00", author: ada, published: true },
      { id: 2, title: "Émile 😀", price: "5.25", author: ada },
      { id: 3, title: "", price: null, author: ada, published: true },
    ]);
    await Item.bulkCreate([
      { id: 1, name: "neg", small: -5, ratio: -1.5 },
      { id: 2, name: "zero", small: 0, ratio: null },
      { id: 3, name: "pos", small: 5, ratio: 2 },
    ]);
    takeStatements();
  });

  it("annotates the value of the first When that holds, else the default, typed", async () => {
    const rows = await Book.annotate({
      band: Case(
        When({ price__gte: "9" }, "dear"),
        When(Q.or({ price__isnull: true }, { title: "" }), "unknown"),
        { default: "cheap" },
      ),
    })
      .orderBy("id")
      .valuesList("title", "band");
    expectTypeOf(rows).toEqualTypeOf<[string, string][]>();
    expect(rows).toEqual([
      ["Dune", "dear"],
      ["Émile 😀", "cheap"],
      ["", "unknown"],
    ]);
    const { sql, params } = takeStatements()[0]!;
    expect(sql).toContain(
      `CASE WHEN ${{ postgres: `"books"."price" >= ${p(1)}`, sqlite: `CAST("books"."price" AS REAL) >= CAST(? AS REAL)`, mysql: `"books"."price" >= CAST(? AS DECIMAL(65, 30))` }[target.dialect]} THEN ${text(2)} WHEN`,
    );
    expect(params).toEqual(["9.00", "dear", "", "unknown", "cheap"]);
  });

  it("is NULL where no When holds and there is no default; a null default is NULL too", async () => {
    const rows = await Item.annotate({
      sign: Case(When({ small__lt: 0 }, -1), When({ small__gt: 0 }, 1)),
      half: Case(When({ ratio__isnull: false }, F("ratio").div(2)), { default: null }),
    })
      .orderBy("id")
      .valuesList("sign", "half");
    // F() is untyped, so a Case of it is too.
    expectTypeOf(rows).toEqualTypeOf<[number | null, unknown][]>();
    expect(rows).toEqual([
      [-1, -0.75],
      [null, null],
      [1, 1],
    ]);
  });

  it("orders by a Case through its annotation name, NULL last ascending", async () => {
    const rows = await Item.annotate({
      rank: Case(When({ name: "zero" }, 0), When({ name: "pos" }, 1)),
    })
      .orderBy("rank", "-id")
      .valuesList("name", { flat: true });
    expect(rows).toEqual(["zero", "pos", "neg"]);
    expect(
      await Item.annotate({ rank: Case(When({ name: "zero" }, 0), When({ name: "pos" }, 1)) })
        .orderBy("-rank")
        .valuesList("name", { flat: true }),
    ).toEqual(["neg", "pos", "zero"]);
  });

  it("orders by a Case given to orderBy itself, ascending or .desc(), not selected", async () => {
    const rank = Case(When({ name: "zero" }, 0), When({ name: "pos" }, 1));
    const rows = await Item.all().orderBy(rank, "-id");
    expect(rows.map((r) => r.name)).toEqual(["zero", "pos", "neg"]);
    expect(Object.keys(rows[0]!.toJSON())).not.toContain("__order_0");
    expect(await Item.all().orderBy(rank.desc(), "id").valuesList("name", { flat: true })).toEqual([
      "neg",
      "pos",
      "zero",
    ]);
    expect(await Item.all().orderBy(rank).values()).toEqual(
      expect.arrayContaining([expect.not.objectContaining({ __order_0: expect.anything() })]),
    );
    // Any expression orders: a function, descending.
    expect(
      await Item.all().orderBy(Length("name").desc(), "id").valuesList("name", { flat: true }),
    ).toEqual(["zero", "neg", "pos"]);
    // A later orderBy() replaces it; streaming keeps the order across chunks.
    const again = await Item.all()
      .orderBy(rank)
      .orderBy("-name")
      .valuesList("name", { flat: true });
    expect(again).toEqual(["zero", "pos", "neg"]);
    const streamed: string[] = [];
    for await (const item of Item.all().orderBy(rank.desc())) streamed.push(item.name);
    expect(streamed).toEqual(["neg", "pos", "zero"]);
    void (() =>
      // @ts-expect-error misspelt field in a When inside orderBy()
      Item.all().orderBy(Case(When({ nmae: "zero" }, 0))));
  });

  it("is a filter value, its literals encoded for the compared field", async () => {
    const titles = await Book.filter({
      price: Case(When({ published: true }, "9"), { default: "5.25" }),
    })
      .orderBy("id")
      .valuesList("title", { flat: true });
    expect(titles).toEqual(["Dune", "Émile 😀"]);
    const annotated = await Book.annotate({ n: Case(When({ published: true }, 1), { default: 0 }) })
      .filter({ n: 1 })
      .orderBy("id")
      .valuesList("id", { flat: true });
    expect(annotated).toEqual([1, 3]);
  });

  it("updates rows with a value per condition, expressions and literals mixed", async () => {
    const n = await Book.all().update({
      title: Case(When({ published: true }, Concat("title", Value("!"))), { default: F("title") }),
      price: Case(When({ price__isnull: true }, "0.5"), { default: F("price") }),
    });
    expect(n).toBe(3);
    expect(await Book.all().orderBy("id").valuesList("title", "price")).toEqual([
      ["Dune!", "9.00"],
      ["Émile 😀", "5.25"],
      ["!", "0.50"],
    ]);
    await Item.all().update({
      small: Case(When({ small__lt: 0 }, F("small").mul(-1)), { default: 7 }),
    });
    expect(await Item.all().orderBy("id").valuesList("small", { flat: true })).toEqual([5, 7, 7]);
  });

  it("refuses bad input clearly", async () => {
    expect(() => When(1 as never, "x")).toThrow(ValidationError);
    expect(() => Case(When({}, "x"), { default: undefined as never })).toThrow(ValidationError);
    expect(() => (Case as (...a: unknown[]) => unknown)()).toThrow(ValidationError);
    expect(() => Case(When({}, Number.NaN))).toThrow(ValidationError);
    // Literals of two types: a compile error, and at run time a ValidationError when selected.
    const mixed = Book.annotate({
      // @ts-expect-error one type per Case
      k: Case(When({ published: true }, 1), { default: "x" }),
    });
    expect(await rejects(mixed)).toBeInstanceOf(ValidationError);
    const misspelt = Book.annotate({
      // @ts-expect-error misspelt field in a When
      k: Case(When({ titel: "Dune" }, 1)),
    });
    expect(await rejects(misspelt)).toBeInstanceOf(FieldError);
    void (() =>
      Book.all().update({
        // @ts-expect-error misspelt field in a When inside update()
        title: Case(When({ publishd: true }, "x"), { default: F("title") }),
      }));
    // A literal the assigned field does not accept is the field's ValidationError.
    expect(
      await rejects(
        Book.all().update({ price: Case(When({ published: true }, "abc"), { default: null }) }),
      ),
    ).toBeInstanceOf(ValidationError);
  });
});
