/**
 * NativeRowReader over the result encoding (native/src/columnar.rs): buffers laid out by hand
 * here (the layout is a contract between Rust and JavaScript), and buffers the Rust encoder
 * built, read with the SQLite and the Postgres rules.
 */
import { postgres } from "../../../runtime/dialect/postgres/index.js";
import { sqlite } from "../../../runtime/dialect/sqlite/index.js";
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { loadTestingAddon } from "./native-testing-addon.js";
import { NativeRowReader, Tag, type ReaderOptions } from "../../../runtime/driver/native/reader.js";
import { YaraError } from "../../../runtime/errors.js";

type Cell =
  | { tag: typeof Tag.NULL }
  | { tag: typeof Tag.NUMBER | typeof Tag.BOOL | typeof Tag.TIMESTAMP; f64: number }
  | { tag: typeof Tag.BIGINT; i64: bigint }
  | { tag: typeof Tag.TEXT | typeof Tag.JSON; text: string }
  | { tag: typeof Tag.BLOB; bytes: number[] };

/** Lays out `rows` (row-major cells) exactly as columnar.rs documents it. */
function encode(rows: Cell[][]): { buffer: ArrayBuffer; text: string; cols: number } {
  const n = rows.length;
  const cols = rows[0]?.length ?? 0;
  const tagBytes = (n + 7) & ~7;
  const stride = tagBytes + 8 * n;
  const blobs: number[] = [];
  let text = "";
  const buffer = new ArrayBuffer(
    cols * stride + rows.flat().reduce((s, c) => s + ("bytes" in c ? c.bytes.length : 0), 0),
  );
  const view = new DataView(buffer);
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      view.setUint8(c * stride + r, cell.tag);
      const slot = c * stride + tagBytes + 8 * r;
      if ("f64" in cell) view.setFloat64(slot, cell.f64, true);
      else if ("i64" in cell) view.setBigInt64(slot, cell.i64, true);
      else if ("text" in cell) {
        view.setUint32(slot, text.length, true);
        view.setUint32(slot + 4, cell.text.length, true);
        text += cell.text;
      } else if ("bytes" in cell) {
        view.setUint32(slot, blobs.length, true);
        view.setUint32(slot + 4, cell.bytes.length, true);
        blobs.push(...cell.bytes);
      }
    }),
  );
  new Uint8Array(buffer, cols * stride).set(blobs);
  return { buffer, text, cols };
}

function reader(rows: Cell[][], options: ReaderOptions): NativeRowReader {
  const { buffer, text, cols } = encode(rows);
  return new NativeRowReader(buffer, text, rows.length, cols, options);
}

const SQLITE: ReaderOptions = { dialect: sqlite, bigints: false };
const SQLITE_BIGINTS: ReaderOptions = { dialect: sqlite, bigints: true };
const POSTGRES: ReaderOptions = { dialect: postgres, bigints: false };
const POSTGRES_BIGINTS: ReaderOptions = { dialect: postgres, bigints: true };

const num = (f64: number): Cell => ({ tag: Tag.NUMBER, f64 });
const txt = (text: string): Cell => ({ tag: Tag.TEXT, text });
const big = (i64: bigint): Cell => ({ tag: Tag.BIGINT, i64 });
const NULL: Cell = { tag: Tag.NULL };

describe("NativeRowReader over hand-laid buffers", () => {
  it("reads numbers, text, nulls and bytes by column and row (rows not a multiple of 8)", () => {
    const r = reader(
      [
        [num(1), txt("héllo 😀"), { tag: Tag.BLOB, bytes: [1, 2] }],
        [num(-2.5), NULL, { tag: Tag.BLOB, bytes: [] }],
        [num(3), txt("x"), { tag: Tag.BLOB, bytes: [255] }],
      ],
      SQLITE,
    );
    expect([r.int(0, 0), r.float(0, 1), r.int(0, 2)]).toEqual([1, -2.5, 3]);
    expect([r.text(1, 0), r.isNull(1, 1), r.text(1, 2)]).toEqual(["héllo 😀", true, "x"]);
    expect([r.binary(2, 0), r.binary(2, 1), r.binary(2, 2)]).toEqual([
      new Uint8Array([1, 2]),
      new Uint8Array([]),
      new Uint8Array([255]),
    ]);
    expect(r.binary(2, 0).constructor).toBe(Uint8Array);
    expect(r.value(2, 0)).toEqual(new Uint8Array([1, 2]));
  });

  it("reads integers exactly on both sides of the 32-bit range, and keeps zero's sign", () => {
    const values = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1];
    for (const options of [SQLITE, POSTGRES]) {
      const r = reader(
        values.map((v) => [num(v)]),
        options,
      );
      values.forEach((v, i) => expect(Object.is(r.int(0, i), v), `${v}`).toBe(true));
    }
  });

  it("reads SQLite's loose storage as better-sqlite3's reader does, errors included", () => {
    const r = reader(
      [
        [
          txt("42"),
          num(1.5),
          txt("2024-01-02 03:04:05"),
          num(1700000000000),
          txt("[1,2]"),
          txt("{oops"),
        ],
      ],
      SQLITE,
    );
    expect(r.int(0, 0)).toBe(42);
    expect(() => r.int(1, 0)).toThrow(
      new YaraError("column 1, row 0: the stored REAL is not an integer a number holds exactly"),
    );
    expect(r.datetime(2, 0)).toEqual(new Date("2024-01-02T03:04:05Z"));
    expect(r.datetime(3, 0)).toEqual(new Date(1700000000000));
    expect(r.json(4, 0)).toEqual([1, 2]);
    expect(() => r.json(5, 0)).toThrow("column 5, row 0: the stored text is not valid JSON");
    expect(r.boolean(0, 0)).toBe(true);
  });

  it("reads integers past 2^53 as bigints only with bigints on (else rounded, as better-sqlite3)", () => {
    const cells = [[big(2n ** 60n + 1n)]];
    expect(reader(cells, SQLITE_BIGINTS).value(0, 0)).toBe(2n ** 60n + 1n);
    expect(reader(cells, SQLITE_BIGINTS).bigint(0, 0)).toBe(2n ** 60n + 1n);
    expect(() => reader(cells, SQLITE_BIGINTS).int(0, 0)).toThrow(/read it as a bigint/);
    expect(reader(cells, SQLITE).value(0, 0)).toBe(Number(2n ** 60n + 1n));
    // A small integer tagged BIGINT (bigints on) still reads as a number through value().
    expect(reader([[big(7n)]], SQLITE_BIGINTS).value(0, 0)).toBe(7);
    expect(reader([[big(7n)]], SQLITE_BIGINTS).int(0, 0)).toBe(7);
  });

  it("reads Postgres tags: TIMESTAMP, BOOL, JSON, BIGINT", () => {
    const when = Date.UTC(2024, 1, 29, 23, 59, 58, 123);
    const row: Cell[] = [
      { tag: Tag.TIMESTAMP, f64: when },
      { tag: Tag.BOOL, f64: 1 },
      { tag: Tag.JSON, text: '{"a":[1,"x"]}' },
      big(9007199254740993n),
      big(5n),
    ];
    const r = reader([row], POSTGRES);
    expect(r.datetime(0, 0)).toEqual(new Date(when));
    expect(r.value(0, 0)).toEqual(new Date(when));
    expect([r.boolean(1, 0), r.value(1, 0)]).toEqual([true, true]);
    expect([r.json(2, 0), r.value(2, 0)]).toEqual([{ a: [1, "x"] }, { a: [1, "x"] }]);
    expect(r.value(3, 0)).toBe(9007199254740993n);
    expect(r.bigint(3, 0)).toBe(9007199254740993n);
    expect(() => r.int(3, 0)).toThrow(/beyond 2\^53/);
    expect(r.value(4, 0)).toBe(5);
    expect(reader([row], POSTGRES_BIGINTS).value(4, 0)).toBe(5n);
    expect(r.int(4, 0)).toBe(5);
  });

  it("reads an empty result", () => {
    const r = new NativeRowReader(new ArrayBuffer(0), "", 0, 3, SQLITE);
    expect(r.rows).toBe(0);
  });
});

// Where the engine is built (always under CI), through the test addon's testEncode export.
const built = loadNativeAddon() !== undefined;
for (const native of built ? [loadTestingAddon()] : []) {
  describe("NativeRowReader over buffers the Rust encoder built", () => {
    it("agrees with the encoder on every tag, for 1 to 17 rows", () => {
      for (const rows of [1, 7, 8, 9, 17]) {
        const cells = Array.from({ length: rows }, (_, i): [string, unknown][] => [
          ["f64", i + 0.5],
          ["i64", BigInt(i) * 2n ** 58n],
          ["text", `row ${i} ✓`],
          ["blob", new Uint8Array([i, i + 1])],
          i % 2 === 0 ? ["null", 0] : ["bool", true],
          ["timestamp", 1_700_000_000_000 + i],
          ["json", JSON.stringify({ i })],
        ]);
        const [buffer, text, n, columns] = native.testEncode(
          ["f", "i", "t", "b", "n", "at", "j"],
          cells,
        );
        expect(n).toBe(rows);
        const r = new NativeRowReader(buffer, text, n, columns!.length, POSTGRES);
        for (let i = 0; i < rows; i++) {
          expect(r.float(0, i)).toBe(i + 0.5);
          expect(r.bigint(1, i)).toBe(BigInt(i) * 2n ** 58n);
          expect(r.text(2, i)).toBe(`row ${i} ✓`);
          expect(r.binary(3, i)).toEqual(new Uint8Array([i, i + 1]));
          expect(r.isNull(4, i)).toBe(i % 2 === 0);
          if (i % 2 === 1) expect(r.boolean(4, i)).toBe(true);
          expect(r.datetime(5, i)).toEqual(new Date(1_700_000_000_000 + i));
          expect(r.json(6, i)).toEqual({ i });
        }
      }
    });
  });
}
