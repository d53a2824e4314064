// One verdict per value, whatever the path: every field kind's good and bad values go through
// create, bulkCreate, update, save, filter, getOrCreate and updateOrCreate (both its update and
// its create branch), on every database × driver. Accepted values must also be stored identically by every
// write path and be found again by a filter with the same value.
import { beforeAll, expect, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Author, Book, Item, Review } from "./generated/index.js";
import { forEachTarget, rejects } from "./harness.js";

/**
 * `ok`: accepted everywhere. `bad`: refused everywhere with a ValidationError naming the field.
 * `oversize`: refused by every write (longer than maxLength, more digits or places than the
 * field has), accepted by a filter, which then matches nothing.
 */
type Verdict = "ok" | "bad" | "oversize";

interface Case {
  readonly model: "Item" | "Review";
  readonly field: string;
  readonly value: unknown;
  readonly verdict: Verdict;
}

const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;

const table: Record<string, { model?: "Review"; field: string; values: [unknown, Verdict][] }> = {
  int: {
    model: "Review",
    field: "stars",
    values: [
      [5, "ok"],
      [-2147483648, "ok"],
      [7n, "ok"],
      [2147483648, "bad"],
      [1.5, "bad"],
      ["5", "bad"],
      [Number.NaN, "bad"],
      [true, "bad"],
    ],
  },
  smallint: {
    field: "small",
    values: [
      [32767, "ok"],
      [32768, "bad"],
      ["1", "bad"],
    ],
  },
  bigint: {
    field: "big",
    values: [
      [2n ** 62n, "ok"],
      [Number.MAX_SAFE_INTEGER, "ok"],
      [2n ** 63n, "bad"],
      [2 ** 60, "bad"],
      [1.5, "bad"],
      ["1", "bad"],
    ],
  },
  float: {
    field: "ratio",
    values: [
      [1.5, "ok"],
      [Number.POSITIVE_INFINITY, "bad"],
      [Number.NaN, "bad"],
      ["1.5", "bad"],
    ],
  },
  decimal: {
    field: "amount",
    values: [
      ["2.50", "ok"],
      [" +2.50 ", "ok"],
      ["1.5e1", "ok"],
      [".5", "ok"],
      ["5.", "ok"],
      ["-0.0", "ok"],
      [12.25, "ok"],
      ["1.23456789012", "oversize"],
      ["1e20", "oversize"],
      ["abc", "bad"],
      ["", "bad"],
      ["1,5", "bad"],
      ["\u00a02.5", "bad"],
      ["Infinity", "bad"],
      [Number.NaN, "bad"],
    ],
  },
  char: {
    field: "name",
    values: [
      ["a".repeat(50), "ok"],
      ["😀".repeat(50), "ok"], // 100 UTF-16 units, 50 characters
      ["a".repeat(51), "oversize"],
      ["😀".repeat(51), "oversize"],
      ["\ud800x", "bad"],
      [5, "bad"],
    ],
  },
  text: {
    field: "body",
    values: [
      ["multi\nline ✓", "ok"],
      ["x\udc00", "bad"],
      [1, "bad"],
    ],
  },
  boolean: {
    field: "flag",
    values: [
      [true, "ok"],
      [1, "bad"],
      ["true", "bad"],
    ],
  },
  datetime: {
    field: "at",
    values: [
      [new Date("2024-01-02T03:04:05.678Z"), "ok"],
      ["2024-01-02T03:04:05Z", "ok"],
      ["2024-01-02 03:04+02:00", "ok"],
      ["2024-01-02T03:04:05.123456-0130", "ok"],
      ["2024-02-30T00:00:00Z", "bad"],
      ["2024-01-02T03:04:05", "bad"],
      ["2024-01-02T24:00:00Z", "bad"],
      [new Date(Number.NaN), "bad"],
      [new Date("0000-06-01T00:00:00Z"), "bad"],
      [0, "bad"],
    ],
  },
  date: {
    field: "day",
    values: [
      ["2024-02-29", "ok"],
      [new Date(Date.UTC(2024, 0, 2)), "ok"],
      ["2023-02-29", "bad"],
      ["2024-1-1", "bad"],
      ["2024-01-02T00:00:00Z", "bad"],
    ],
  },
  time: {
    field: "clock",
    values: [
      ["10:30", "ok"],
      ["10:30:15", "ok"],
      ["10:30:15.123456", "ok"],
      ["24:00", "bad"],
      ["10:30:15.1234567", "bad"],
      ["10:3", "bad"],
      ["1030", "bad"],
    ],
  },
  uuid: {
    field: "uid",
    values: [
      ["6F9619FF-8B86-D011-B42D-00CF4FC964FF", "ok"],
      ["6f9619ff-8b86-d011-b42d-00cf4fc964fe", "ok"],
      ["{6f9619ff-8b86-d011-b42d-00cf4fc964fe}", "bad"],
      ["not-a-uuid", "bad"],
    ],
  },
  json: {
    field: "data",
    values: [
      [{ a: [1, "x", null] }, "ok"],
      ["s", "ok"],
      [{ a: 1n }, "bad"],
      [{ a: Number.NaN }, "bad"],
      [{ a: 1, b: undefined }, "ok"], // stored as {"a":1}, as JSON.stringify writes it
      [[undefined], "bad"],
      [{ at: new Date(0) }, "bad"],
      [cyclic, "bad"],
    ],
  },
  binary: {
    field: "blob",
    values: [
      [new Uint8Array([0, 1, 255]), "ok"],
      [Buffer.from("yz"), "ok"],
      ["AAEC", "bad"],
      [[0, 1], "bad"],
    ],
  },
  charEnum: {
    field: "status",
    values: [
      ["published", "ok"],
      ["other", "bad"],
      [1, "bad"],
    ],
  },
  intEnum: {
    field: "level",
    values: [
      [2, "ok"],
      [4, "bad"],
      ["2", "bad"],
    ],
  },
};

const cases: (Case & { kind: string; label: string })[] = Object.entries(table).flatMap(
  ([kind, { model, field, values }]) =>
    values.map(([value, verdict]) => ({
      kind,
      model: model ?? "Item",
      field,
      value,
      verdict,
      label: describeValue(value),
    })),
);

function describeValue(value: unknown): string {
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? "NaN" : value.getTime()})`;
  if (value instanceof Uint8Array) return `${value.constructor.name}[${value.length}]`;
  if (typeof value === "bigint") return `${value}n`;
  if (value === cyclic) return "a cyclic object";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.length > 20)
    return JSON.stringify(`${value.slice(0, 8)}…`);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A comparable form of a stored value. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return [...value];
  if (typeof value === "bigint") return `${value}n`;
  return value;
}

type Row = Record<string, unknown>;
type Outcome = { ok: true; stored: unknown } | { ok: false; error: unknown };

forEachTarget(() => {
  let book: Book;
  let serial = 0;

  beforeAll(async () => {
    const author = await Author.create({ name: "validators" });
    book = await Book.create({ title: "validators", author });
  });

  const model = (c: Case) =>
    (c.model === "Item" ? Item : Review) as unknown as {
      create(data: Row): Promise<Row>;
      bulkCreate(rows: Row[]): Promise<Row[]>;
      filter(where: Row): { update(data: Row): Promise<number>; count(): Promise<number> };
      get(where: Row): Promise<Row & { save(): Promise<void> }>;
      updateOrCreate(where: Row, defaults: Row): Promise<[Row, boolean]>;
      getOrCreate(where: Row, defaults: Row): Promise<[Row, boolean]>;
    };
  const base = (c: Case): Row =>
    c.model === "Item" ? { name: `v${++serial}` } : { book, stars: 1 };
  const reread = async (c: Case, row: Row): Promise<unknown> =>
    plain((await model(c).get({ id: row.id }))[c.field]);
  const outcome = async (c: Case, write: (c: Case) => Promise<Row>): Promise<Outcome> => {
    try {
      const row = await write(c);
      return { ok: true, stored: await reread(c, row) };
    } catch (error) {
      return { ok: false, error };
    }
  };

  /** Each write path, resolving to the row it wrote. */
  const writes: Record<string, (c: Case) => Promise<Row>> = {
    create: (c) => model(c).create({ ...base(c), [c.field]: c.value }),
    bulkCreate: async (c) => (await model(c).bulkCreate([{ ...base(c), [c.field]: c.value }]))[0]!,
    update: async (c) => {
      const row = await model(c).create(base(c));
      await model(c)
        .filter({ id: row.id })
        .update({ [c.field]: c.value });
      return row;
    },
    save: async (c) => {
      const row = await model(c).get({ id: (await model(c).create(base(c))).id });
      row[c.field] = c.value;
      await row.save();
      return row;
    },
    "updateOrCreate (found)": async (c) => {
      const row = await model(c).create(base(c));
      return (await model(c).updateOrCreate({ id: row.id }, { [c.field]: c.value }))[0];
    },
    "getOrCreate (created)": async (c) => {
      const where =
        c.model === "Item" ? { name: `v${++serial}` } : { book, reviewer__isnull: false };
      const [row, created] = await model(c).getOrCreate(where, { [c.field]: c.value });
      expect(created).toBe(true);
      return row;
    },
    "updateOrCreate (created)": async (c) => {
      const where =
        c.model === "Item" ? { name: `v${++serial}` } : { book, reviewer__isnull: false };
      const [row, created] = await model(c).updateOrCreate(where, { [c.field]: c.value });
      expect(created).toBe(true);
      return row;
    },
  };

  for (const c of cases) {
    it(`${c.kind}: ${c.label} is ${c.verdict}`, async () => {
      const kind = c.kind;
      const results: Record<string, Outcome> = {};
      for (const [path, write] of Object.entries(writes)) results[path] = await outcome(c, write);
      const verdicts = Object.fromEntries(
        Object.entries(results).map(([path, r]) => [path, r.ok ? "accepted" : "refused"]),
      );
      const expected = c.verdict === "ok" ? "accepted" : "refused";
      expect(verdicts).toEqual(Object.fromEntries(Object.keys(writes).map((p) => [p, expected])));
      for (const r of Object.values(results)) {
        if (r.ok) continue;
        expect(r.error).toBeInstanceOf(ValidationError);
        expect((r.error as ValidationError).field).toBe(c.field);
      }
      // Every write path stores the same value.
      const stored = new Set(
        Object.values(results).map((r) => (r.ok ? JSON.stringify(r.stored) : "")),
      );
      expect(stored.size).toBe(1);

      // JSON fields are filtered by isnull / null only (docs/api.md, Lookups).
      if (kind === "json") return;
      const found = await rejects(
        model(c)
          .filter({ [c.field]: c.value })
          .count()
          .then((n) => {
            if (c.verdict === "ok") expect(n).toBeGreaterThan(0);
            else expect(n).toBe(0);
          }),
      );
      if (c.verdict === "bad") {
        expect(found).toBeInstanceOf(ValidationError);
        expect((found as ValidationError).field).toBe(c.field);
      } else {
        expect(found).toBeUndefined();
      }
    });
  }
});
