/**
 * Guarantee: no input gets in, corrupts data, crashes or hangs. Through every value position
 * (create, update, every text lookup, exclude, Q, get, raw parameters), through filter and
 * orderBy keys and values() / valuesList() field names, and with hostile values — NUL bytes,
 * lone UTF-16 surrogates, 10 MB strings, numbers past 2^53 and 2^63, NaN and infinities,
 * dates outside what the databases store, a 100 000-element `in` — each call gives either the
 * right answer (read back exactly) or a YaraError saying what is wrong; after each the table
 * holds exactly the rows it should. On every database × driver. The basics (injection strings
 * as plain values and as keys, NUL on Postgres, 2^53 / 2^63, NaN for integers, a 100 000-id
 * `in`) are tests/features/hostile-input.test.ts; this file covers the rest.
 */
import { beforeEach, expect, it } from "vitest";
import {
  Author,
  Book,
  FieldError,
  Item,
  Q,
  ValidationError,
  YaraError,
} from "../features/generated/index.js";
import { forEachTarget, rejects, resetData } from "../features/harness.js";

const INJECTIONS = [
  "'; DROP TABLE author; --",
  "' OR '1'='1",
  '" OR 1=1 --',
  "x'); DELETE FROM books; --",
  "$1",
  "?",
  "%",
  "_",
  "\\",
  "1; SELECT pg_sleep(10)",
  "*/ OR 1=1 /*",
];

/** Settles within `ms` or fails the test: a hostile input must never hang. */
async function settles<T>(p: PromiseLike<T>, ms = 10_000): Promise<T | YaraError> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(p).catch((e: unknown) => {
        if (e instanceof YaraError) return e;
        throw e; // anything else is a finding: not a clear YaraError
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

forEachTarget((target) => {
  beforeEach(resetData);

  it("binds injection strings in every value position and leaves every row intact", async () => {
    const ada = await Author.create({ name: "Ada" });
    const book = await Book.create({ title: "safe", author: ada });
    for (const s of INJECTIONS) {
      const a = await Author.create({ name: s });
      expect((await Author.get({ name: s })).id).toBe(a.id);
      for (const lookup of [
        "exact",
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
      ]) {
        const n = await Author.filter({ [`name__${lookup}`]: s } as never).count();
        expect(n, `${lookup} ${s}`).toBeGreaterThanOrEqual(1);
      }
      expect(await Author.filter({ name__in: [s, "nobody"] }).count()).toBe(1);
      expect(await Author.exclude({ name: s }).filter({ name: "Ada" }).count()).toBe(1);
      expect(await Author.filter(Q.or({ name: s }, { email: s })).count()).toBe(1);
      await Author.filter({ id: a.id }).update({ email: s });
      expect((await Author.get({ id: a.id })).email).toBe(s);
      const viaRaw = await Author.raw(
        target.dialect === "postgres"
          ? "SELECT * FROM author WHERE name = $1"
          : "SELECT * FROM author WHERE name = ?",
        [s],
      );
      expect(viaRaw.map((r) => r.id)).toEqual([a.id]);
      expect(await Book.filter({ author__name: s }).count()).toBe(0);
    }
    expect(await Author.all().count()).toBe(INJECTIONS.length + 1);
    expect((await Book.get({ id: book.id })).title).toBe("safe");
  });

  it("refuses injection strings as filter keys, orderings and values() fields with a FieldError", async () => {
    await Author.create({ name: "Ada" });
    const keys = [...INJECTIONS, "name__contains; DROP TABLE author", "name) OR (1=1", "id\u0000"];
    for (const key of keys) {
      expect(await settles(Author.filter({ [key]: 1 } as never))).toBeInstanceOf(FieldError);
      expect(await settles(Author.exclude({ [key]: 1 } as never))).toBeInstanceOf(FieldError);
      expect(await settles(Author.filter(Q.or({ [key]: 1 } as never)))).toBeInstanceOf(FieldError);
      expect(await settles(Author.all().orderBy(key as never))).toBeInstanceOf(FieldError);
      expect(await settles(Author.all().orderBy(`-${key}` as never))).toBeInstanceOf(FieldError);
      expect(await settles(Author.all().values(key as never))).toBeInstanceOf(FieldError);
      expect(await settles(Author.all().valuesList(key as never))).toBeInstanceOf(FieldError);
    }
    expect((await Author.all()).map((a) => a.name)).toEqual(["Ada"]);
  });

  it("stores lone UTF-16 surrogates exactly or refuses them, never as U+FFFD", async () => {
    for (const name of ["\uD800", "a\uDC00b", "\uDBFF\uD800"]) {
      const created = await settles(Author.create({ name }));
      if (created instanceof YaraError) {
        expect(created).toBeInstanceOf(ValidationError);
        expect(created.message).toMatch(/surrogate/);
      } else {
        expect((await Author.get({ id: created.id })).name).toBe(name);
      }
      const found = await settles(Author.filter({ name }).count());
      if (found instanceof YaraError) expect(found).toBeInstanceOf(ValidationError);
      else expect(found).toBe(created instanceof YaraError ? 0 : 1);
    }
    // Nothing stored a replacement character in their place.
    expect(await Author.filter({ name__contains: "\uFFFD" }).count()).toBe(0);
    // In JSON too (SQLite would keep the escape, Postgres' parser refuses it): refused on both.
    const json = await settles(Item.create({ name: "j", data: { s: "\uD800", [`k\uDC00`]: 1 } }));
    expect(json).toBeInstanceOf(ValidationError);
    expect((json as Error).message).toMatch(/surrogate/);
    // Text that only looks like an escape is stored as it is, on Postgres as well.
    const lookalike = { s: "\\u0000 \\uD800", pair: "😀" };
    const item = await Item.create({ name: "j", data: lookalike });
    expect((await Item.get({ id: item.id })).data).toEqual(lookalike);
    expect(await Item.all().count()).toBe(1);
  });

  it("refuses a lone surrogate in raw() parameters and JSON nested past the stack", async () => {
    const sql = `SELECT * FROM author WHERE name = ${target.dialect === "postgres" ? "$1" : "?"}`;
    const raw = await settles(Author.raw(sql, ["a\uD800"]));
    expect(raw).toBeInstanceOf(ValidationError);
    expect((raw as Error).message).toMatch(/raw: parameter 1 .*surrogate/);
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const created = await settles(Item.create({ name: "deep", data: deep as never }));
    expect(created).toBeInstanceOf(ValidationError);
    expect((created as Error).message).toMatch(/nested too deeply/);
    expect(await Item.filter({ name: "deep" }).count()).toBe(0);
  });

  it("round-trips a 10 MB text exactly and refuses one over a CharField's maxLength", async () => {
    const big = "ab😀".repeat(2_500_000).slice(0, 10_000_000);
    const item = await Item.create({ name: "big", body: big });
    const back = (await Item.get({ id: item.id })).body!;
    expect(back.length).toBe(big.length);
    expect(back === big).toBe(true);
    expect(await Item.filter({ body__endswith: big.slice(-1000) }).count()).toBe(1);
    expect(await settles(Item.create({ name: big, body: null }))).toBeInstanceOf(ValidationError);
    expect(await Item.all().count()).toBe(1);
  });

  it("keeps floats exact at the edges and refuses NaN and infinities", async () => {
    const edges = [2 ** 53 + 2, 2 ** 63, -(2 ** 64), Number.MAX_VALUE, Number.MIN_VALUE, -0.1];
    for (const ratio of edges) {
      const item = await Item.create({ name: "f", ratio });
      expect((await Item.get({ id: item.id })).ratio).toBe(ratio);
      expect(await Item.filter({ id: item.id, ratio }).count()).toBe(1);
    }
    for (const ratio of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(await settles(Item.create({ name: "f", ratio }))).toBeInstanceOf(ValidationError);
      expect(await settles(Item.filter({ ratio__gt: ratio }))).toBeInstanceOf(ValidationError);
    }
    expect(await Item.all().count()).toBe(edges.length);
  });

  it("refuses integers past 2^63 and non-integers in every integer position", async () => {
    for (const big of [2n ** 63n, -(2n ** 63n) - 1n]) {
      expect(await settles(Item.create({ name: "b", big }))).toBeInstanceOf(ValidationError);
      expect(await settles(Item.filter({ big__in: [1n, big] }))).toBeInstanceOf(ValidationError);
    }
    const min = -(2n ** 63n);
    const item = await Item.create({ name: "min", big: min });
    expect((await Item.get({ id: item.id })).big).toBe(min);
    for (const small of [32768, -32769, 1.5, 2 ** 63]) {
      expect(await settles(Item.create({ name: "s", small }))).toBeInstanceOf(ValidationError);
    }
    expect(await settles(Item.filter({ id__in: [1, 2 ** 53 + 1] }))).toBeInstanceOf(
      ValidationError,
    );
    expect(await Item.all().count()).toBe(1);
  });

  it("refuses dates the databases cannot store the same way, and keeps the ones they can", async () => {
    const outside = [
      new Date("0000-12-31T00:00:00Z"),
      new Date(Date.UTC(10000, 0, 1)),
      new Date(8.64e15),
      new Date(-8.64e15),
      new Date(Number.NaN),
    ];
    for (const at of outside) {
      expect(await settles(Item.create({ name: "d", at }))).toBeInstanceOf(ValidationError);
      expect(await settles(Item.filter({ at__lt: at }))).toBeInstanceOf(ValidationError);
    }
    for (const day of ["0000-01-01", "10000-01-01", "2024-02-30", "2024-13-01", "'; --"]) {
      expect(await settles(Item.create({ name: "d", day }))).toBeInstanceOf(ValidationError);
    }
    const edges = [new Date("0001-01-01T00:00:00.000Z"), new Date("9999-12-31T23:59:59.999Z")];
    for (const at of edges) {
      const item = await Item.create({ name: "d", at });
      expect((await Item.get({ id: item.id })).at?.toISOString()).toBe(at.toISOString());
    }
    expect((await Item.all().orderBy("at")).map((i) => i.at?.toISOString())).toEqual(
      edges.map((d) => d.toISOString()),
    );
  });

  it("answers a 100 000-string in and not_in in one parameter without a hang", async () => {
    await Author.create({ name: "needle" });
    await Author.create({ name: "hay" });
    const names = Array.from({ length: 100_000 }, (_, i) => `n${i}'); DROP TABLE author; --`);
    names[77_777] = "needle";
    expect(await settles(Author.filter({ name__in: names }).count())).toBe(1);
    expect(await settles(Author.filter({ name__not_in: names }).count())).toBe(1);
    expect(await settles(Author.exclude({ name__in: names }).count())).toBe(1);
  });
});
