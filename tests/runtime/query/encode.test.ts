import { describe, expect, test } from "vitest";
import { postgres } from "../../../runtime/dialect/postgres/index.js";
import { sqlite } from "../../../runtime/dialect/sqlite/index.js";
import { encodeValue, type EncodeContext } from "../../../runtime/dialect/encode.js";
import { ValidationError, type FieldMeta } from "../../../runtime/index.js";
import { useFake } from "./fake-driver.js";
import { Book, Item, itemMeta } from "./fixtures.js";

const f = (name: string): FieldMeta => itemMeta.fields.find((x) => x.name === name)!;
const pg: EncodeContext = { dialect: postgres, model: "Item", mode: "write" };
const lite: EncodeContext = { dialect: sqlite, model: "Item", mode: "write" };
const enc = (name: string, value: unknown, ctx = pg) => encodeValue(ctx, f(name), value);

/** Expects a ValidationError naming Item.<name> whose message does not contain `secret`. */
function rejects(name: string, value: unknown, ctx = pg, secret = String(value)) {
  let error: unknown;
  try {
    encodeValue(ctx, f(name), value);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ model: "Item", field: name });
  if (secret.length > 3) expect((error as Error).message).not.toContain(secret);
}

describe("value encoding by field kind", () => {
  test("integers: range-checked, never past 2^53", () => {
    expect(enc("small", 32767)).toBe(32767);
    rejects("small", 40000);
    rejects("small", 1.5);
    rejects("small", "1");
    rejects("level", 2 ** 53 + 2);
    rejects("level", 4); // not an enum value
    expect(enc("level", 3)).toBe(3);
  });

  test("bigint accepts bigint and safe integers, range-checks int8", () => {
    expect(enc("big", 5)).toBe(5n);
    expect(enc("big", 2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    rejects("big", 2n ** 63n);
    rejects("big", 2 ** 53);
    rejects("big", "5");
  });

  test("float must be finite", () => {
    expect(enc("ratio", 0.5)).toBe(0.5);
    rejects("ratio", Number.NaN);
    rejects("ratio", Infinity);
  });

  test("decimal: checked against maxDigits/decimalPlaces, canonicalised, never rounded", () => {
    expect(enc("amount", "12.5")).toBe("12.50");
    expect(enc("amount", 12)).toBe("12.00");
    expect(enc("amount", "-0")).toBe("0.00");
    expect(enc("amount", "0012.30")).toBe("12.30");
    expect(enc("amount", 1e-2)).toBe("0.01");
    expect(enc("amount", "-9999.99")).toBe("-9999.99");
    // Forms the plain-decimal scan leaves to the full syntax, and zeros it drops.
    expect(enc("amount", "5.")).toBe("5.00");
    expect(enc("amount", "-.5")).toBe("-0.50");
    expect(enc("amount", " 1.5e2 ")).toBe("150.00");
    expect(enc("amount", "-0.00")).toBe("0.00");
    expect(enc("amount", "000")).toBe("0.00");
    expect(enc("amount", "-0.10")).toBe("-0.10");
    rejects("amount", "-");
    rejects("amount", "1.2.3");
    rejects("amount", "1".repeat(1001));
    rejects("amount", "10000"); // 6 digits, 2 places → 4 before the point
    rejects("amount", "1.234");
    rejects("amount", "1e400");
    rejects("amount", "12abc");
    rejects("amount", "");
    rejects("amount", Number.NaN);
  });

  test("booleans: native on Postgres, 0/1 on SQLite", () => {
    expect(enc("flag", true)).toBe(true);
    expect(enc("flag", true, lite)).toBe(1);
    expect(enc("flag", false, lite)).toBe(0);
    rejects("flag", 1);
  });

  test("text: NUL bytes rejected on Postgres only; maxLength on writes only", () => {
    rejects("color", "re\0d", pg, "re\0d");
    expect(() => enc("color", "x\0", lite)).toThrow(ValidationError); // not an enum value either way
    const text = { ...f("color"), kind: "text", enumValues: undefined } as FieldMeta;
    expect(encodeValue(lite, text, "a\0b")).toBe("a\0b");
    expect(() => encodeValue(pg, text, "a\0b")).toThrow(/NUL/);
    const char = { ...text, kind: "char", maxLength: 3 } as FieldMeta;
    expect(() => encodeValue(pg, char, "abcd")).toThrow(/maxLength 3/);
    expect(encodeValue({ ...pg, mode: "filter" }, char, "abcd")).toBe("abcd");
    expect(encodeValue(pg, char, "😀😀😀")).toBe("😀😀😀"); // counts characters, not UTF-16 units
  });

  test("enums", () => {
    expect(enc("color", "red")).toBe("red");
    rejects("color", "blue");
  });

  test("datetime: valid Dates as UTC ISO text", () => {
    expect(enc("at", new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe("2024-01-02T03:04:05.006Z");
    expect(enc("at", "2024-01-02T03:04:05+02:00")).toBe("2024-01-02T01:04:05.000Z");
    rejects("at", new Date("nope"));
    rejects("at", "yesterday");
    rejects("at", 0);
  });

  test("date and time", () => {
    expect(enc("day", "2024-02-29")).toBe("2024-02-29");
    rejects("day", "2023-02-29");
    rejects("day", "2024-1-1");
    expect(enc("clock", "10:30")).toBe("10:30:00");
    expect(enc("clock", "10:30:15.123456")).toBe("10:30:15.123456");
    rejects("clock", "25:00");
  });

  test("uuid: format checked, lower-cased", () => {
    expect(enc("uid", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")).toBe(
      "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    );
    rejects("uid", "not-a-uuid'; DROP TABLE items; --");
  });

  test("json: stringified; bigint, cycles and NUL (Postgres) rejected", () => {
    expect(enc("data", { a: [1, "x"] })).toBe('{"a":[1,"x"]}');
    expect(enc("data", "s")).toBe('"s"');
    rejects("data", { a: 1n });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    rejects("data", cyclic);
    expect(() => enc("data", { a: "\0" })).toThrow(/NUL/);
    expect(enc("data", { a: "\0" }, lite)).toBe('{"a":"\\u0000"}');
  });

  test("binary: Uint8Array only", () => {
    const bytes = new Uint8Array([0, 1, 2]);
    expect(enc("blob", bytes)).toBe(bytes);
    expect(enc("blob", Buffer.from("x"))).toBeInstanceOf(Uint8Array);
    rejects("blob", "AAEC");
  });

  test("null: allowed on nullable fields, rejected on writes of NOT NULL fields", () => {
    expect(enc("big", null)).toBeNull();
    expect(() => enc("updatedAt", null)).toThrow(/may not be null/);
  });
});

describe("encoding errors surface before SQL, from filters and writes", () => {
  test("filter values are validated when filter() is called", () => {
    expect(() => Item.objects.filter({ big: 1.5 }).sql("postgres")).toThrow(ValidationError);
    expect(() => Item.objects.filter({ big__in: [1, 2 ** 60] }).sql("postgres")).toThrow(
      ValidationError,
    );
    expect(() => Item.objects.filter({ uid: "x" }).sql("postgres")).toThrow(ValidationError);
    expect(() => Book.objects.filter({ id__in: [1, null] }).sql("postgres")).toThrow(
      /may not contain null/,
    );
    expect(() => Book.objects.filter({ id__in: 5 }).sql("postgres")).toThrow(/expects an array/);
    expect(() => Book.objects.filter({ id__range: [1] }).sql("postgres")).toThrow(/range/);
    expect(() => Book.objects.filter({ id__isnull: "yes" }).sql("postgres")).toThrow(
      /true or false/,
    );
    expect(() => Book.objects.filter({ title__contains: 5 }).sql("postgres")).toThrow(
      ValidationError,
    );
    expect(() => Book.objects.filter({ title__gt: null }).sql("postgres")).toThrow(/isnull/);
  });

  test("NUL bytes in a filter fail when compiled for Postgres, pass on SQLite", () => {
    const q = Book.objects.filter({ title: "a\0b" });
    expect(() => q.sql("postgres")).toThrow(ValidationError);
    expect(q.sql("sqlite").params).toEqual(["a\0b"]);
  });

  test("writes with bad values never reach the driver", async () => {
    const db = useFake("postgres");
    await expect(
      Item.objects.create({ uid: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", small: 99999 }),
    ).rejects.toMatchObject({ field: "small" });
    await expect(
      Item.objects.create({ uid: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", data: { n: 1n } }),
    ).rejects.toMatchObject({ field: "data" });
    await expect(Item.objects.all().update({ amount: "1.999" })).rejects.toMatchObject({
      field: "amount",
    });
    expect(db.sent).toEqual([]);
  });

  test("every kind encodes into an INSERT for both dialects", async () => {
    const row = {
      uid: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
      big: 2n ** 62n,
      small: -5,
      ratio: 1.25,
      amount: "3.5",
      flag: true,
      at: new Date(0),
      day: "2024-05-06",
      clock: "01:02:03",
      data: [1, { b: null }],
      blob: new Uint8Array([9]),
      color: "green",
      level: 2,
    };
    for (const dialect of ["postgres", "sqlite"] as const) {
      const db = useFake(dialect);
      await Item.objects.create(row);
      const params = db.last.params;
      expect(params.slice(0, 13)).toEqual([
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        2n ** 62n,
        -5,
        1.25,
        "3.50",
        dialect === "sqlite" ? 1 : true,
        "1970-01-01T00:00:00.000Z",
        "2024-05-06",
        "01:02:03",
        '[1,{"b":null}]',
        new Uint8Array([9]),
        "green",
        2,
      ]);
      expect(typeof params[13]).toBe("string"); // autoNow updatedAt
      expect(db.last.options).toEqual({ bigints: true, oneRow: true });
    }
  });
});
