import { describe, expect, test } from "vitest";
import { FieldError, Q, ValidationError } from "../../../runtime/index.js";
import { useFake } from "./fake-driver.js";
import { Author, Book, Category } from "./fixtures.js";

const INJECTION = `x"; DROP TABLE books; --`;

function fieldError(run: () => unknown, key: string): FieldError {
  let error: unknown;
  try {
    const result = run() as { sql?: (d: "postgres") => unknown };
    // building never throws: the error surfaces when the query is compiled or run
    result?.sql?.("postgres");
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FieldError);
  expect((error as FieldError).key).toBe(key);
  expect((error as Error).message).not.toMatch(/SELECT|WHERE/);
  return error as FieldError;
}

describe("unknown keys are FieldErrors naming model and key, before any SQL", () => {
  test("building never throws; await rejects and sql() throws", async () => {
    const q = Book.objects.filter({ nope: 1 }).orderBy("title").limit(5);
    await expect(q).rejects.toBeInstanceOf(FieldError);
    await expect(q.count()).rejects.toBeInstanceOf(FieldError);
    await expect(q.delete()).rejects.toBeInstanceOf(FieldError);
    await expect(q.values("id")).rejects.toBeInstanceOf(FieldError);
    expect(() => q.sql("sqlite")).toThrow(FieldError);
    // the first error wins
    expect(() => Book.objects.filter({ a: 1 }).filter({ b: 1 }).sql("sqlite")).toThrow(/"a"/);
  });

  test("unknown field, relation or lookup", () => {
    expect(fieldError(() => Book.objects.filter({ nope: 1 }), "nope")).toMatchObject({
      model: "Book",
    });
    fieldError(() => Book.objects.filter({ title__nope: 1 }), "title__nope");
    fieldError(() => Book.objects.filter({ author__nope: 1 }), "author__nope");
    fieldError(() => Book.objects.filter({ author__name__nope: 1 }), "author__name__nope");
    fieldError(() => Book.objects.filter({ title__year: 1 }), "title__year");
    fieldError(() => Book.objects.filter({ id__contains: "1" }), "id__contains");
    fieldError(
      () => Author.objects.filter({ createdAt__year__contains: 1 }),
      "createdAt__year__contains",
    );
    fieldError(() => Book.objects.filter({ title__exact__exact: "a" }), "title__exact__exact");
    fieldError(() => Book.objects.filter({ "": 1 }), "");
    fieldError(() => Book.objects.filter({ title__: 1 }), "title__");
    fieldError(() => Book.objects.filter(Q.or({ title: "a" }, { bad: 1 })), "bad");
    fieldError(() => Book.objects.exclude({ tags__bad: 1 }), "tags__bad");
  });

  test("orderBy, values, valuesList and only validate their keys", () => {
    fieldError(() => Book.objects.all().orderBy("-nope" as "id"), "nope");
    fieldError(() => Book.objects.all().orderBy("title__icontains" as "id"), "title__icontains");
    fieldError(() => Book.objects.all().values("nope" as "id"), "nope");
    fieldError(() => Book.objects.all().valuesList("author__nope" as "id"), "author__nope");
    fieldError(() => Book.objects.all().only("nope" as "id"), "nope");
  });

  test("injection strings as keys are FieldErrors", async () => {
    fieldError(() => Book.objects.filter({ [INJECTION]: 1 }), INJECTION);
    fieldError(() => Book.objects.all().orderBy(INJECTION as "id"), INJECTION);
    await expect(Book.objects.all().update({ [INJECTION]: 1 } as never)).rejects.toThrow(
      FieldError,
    );
  });

  test("injection strings as values are bound, never in the SQL text", () => {
    for (const dialect of ["postgres", "sqlite"] as const) {
      const q = Book.objects
        .filter({
          title: INJECTION,
          title__icontains: INJECTION,
          author__name__startswith: INJECTION,
        })
        .sql(dialect);
      expect(q.sql).not.toContain("DROP");
      expect(q.params.some((p) => String(p).includes("DROP"))).toBe(true);
    }
  });

  test("relations given the wrong model's instance", () => {
    expect(() =>
      Book.objects.filter({ author: new Category(1, "c", null) }).sql("postgres"),
    ).toThrow(ValidationError);
  });

  test("F() over unknown fields or operands", async () => {
    const { F } = await import("../../../runtime/index.js");
    expect(() => Book.objects.filter({ id: F("nope") }).sql("postgres")).toThrow(FieldError);
    useFake("postgres");
    await expect(Book.objects.all().update({ price: F("price").add(Number.NaN) })).rejects.toThrow(
      ValidationError,
    );
    await expect(Book.objects.all().update({ price: F("author__name") })).rejects.toThrow(
      FieldError,
    );
  });

  test("messages never contain bound values", () => {
    const secret = "s3cr3t-value-1234";
    try {
      Book.objects.filter({ id: secret }).sql("postgres");
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
      expect((e as Error).message).toContain("Book.id");
    }
  });
});

describe("filter edge cases", () => {
  test("an undefined filter value is refused (it would widen a delete to every row)", () => {
    expect(() => Book.objects.filter({ id: undefined }).sql("postgres")).toThrow(/undefined/);
    expect(() => Book.objects.filter({ nope: undefined }).sql("postgres")).toThrow(FieldError);
  });

  test("empty filters are no-ops", () => {
    expect(Book.objects.filter({}).exclude({}).sql("postgres").sql).toBe(
      Book.objects.all().sql("postgres").sql,
    );
  });
});
