/**
 * The mysql2 reader's DATETIME text (what mysql2 hands over for DATETIME(6) columns, read as
 * text so years before 100 stay exact): the instant is the text's at UTC, to the millisecond,
 * over the whole DATETIME range and every form the server writes, whether the column is known
 * to be a DATETIME (its text read without checking its form) or not (an expression's text).
 */
import type { FieldPacket } from "mysql2";
import { describe, expect, it } from "vitest";
import { MysqlRowReader } from "../../../runtime/driver/mysql2/reader.js";

/** The protocol's MYSQL_TYPE_DATETIME. */
const DATETIME = 12;

function readDatetime(text: string): Date {
  return new MysqlRowReader([[text]], [], false).datetime(0, 0);
}

function readDatetimeColumn(text: string): Date {
  const field = { columnType: DATETIME } as FieldPacket;
  return new MysqlRowReader([[text]], [field], false).datetime(0, 0);
}

const readers: [string, (text: string) => Date][] = [
  ["any column", readDatetime],
  ["a DATETIME column", readDatetimeColumn],
];

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** The instant by the ISO parser: `YYYY-MM-DDThh:mm:ss.mmmZ` (the first three fraction digits). */
function isoInstant(text: string): number {
  const [day, time = "00:00:00"] = text.split(/[ T]/);
  const [whole, fraction = ""] = time.split(".");
  return Date.parse(`${day}T${whole}.${(fraction.slice(0, 3) + "000").slice(0, 3)}Z`);
}

/** Every month's first and last days of years 100-9999, and a seeded spread of instants. */
function calendarAndSpread(): string[] {
  const texts: string[] = [];
  for (let year = 100; year <= 9999; year += year < 2100 ? 1 : 37) {
    for (let month = 1; month <= 12; month++) {
      const last = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 ? 1 : 0);
      const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      for (const day of [1, 15, last, ...(leap ? [29] : [])])
        texts.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} 00:00:00`);
    }
  }
  let seed = 42;
  const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  for (let i = 0; i < 20_000; i++) {
    const fraction = next(7);
    texts.push(
      `${pad(100 + next(9900), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)}` +
        `${next(2) === 0 ? " " : "T"}${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}` +
        (fraction === 0 ? "" : `.${pad(next(10 ** fraction), fraction)}`),
    );
  }
  return texts;
}

describe("mysql2 reader: DATETIME text", () => {
  for (const [label, read] of readers) {
    it(`equals the ISO parse on every month's first and last days of years 100-9999 and a seeded spread of instants: ${label}`, () => {
      const texts = calendarAndSpread();
      const wrong = texts.filter((text) => read(text).getTime() !== isoInstant(text));
      expect(texts.length).toBeGreaterThan(80_000);
      expect(wrong).toEqual([]);
    });
  }

  it("reads the range's ends, leap days and years before 100 exactly", () => {
    const cases: [string, string][] = [
      ["0001-01-01 00:00:00", "0001-01-01T00:00:00.000Z"],
      ["0099-12-31 23:59:59.999999", "0099-12-31T23:59:59.999Z"],
      ["0100-02-28 12:00:00.5", "0100-02-28T12:00:00.500Z"],
      ["1900-03-01 00:00:00", "1900-03-01T00:00:00.000Z"],
      ["2000-02-29 23:59:58.123456", "2000-02-29T23:59:58.123Z"],
      ["1969-12-31 23:59:59.999000", "1969-12-31T23:59:59.999Z"],
      ["9999-12-31 23:59:59.999999", "9999-12-31T23:59:59.999Z"],
    ];
    for (const [label, read] of readers)
      for (const [text, iso] of cases)
        expect(read(text).toISOString(), `${label}: ${text}`).toBe(iso);
  });

  it("reads a DATETIME column's text of a length the server never writes by the regex", () => {
    for (const [text, iso] of [
      ["2024-05-01 12:30:07Z", "2024-05-01T12:30:07.000Z"],
      ["2024-05-01 12:30:07.1234567", "2024-05-01T12:30:07.123Z"],
      ["0000-00-00 00:00:00", readDatetime("0000-00-00 00:00:00").toISOString()],
    ] as const)
      expect(readDatetimeColumn(text).toISOString(), text).toBe(iso);
    expect(() => readDatetimeColumn("2024-05-01 12:30")).toThrow(/cannot read .* as a datetime/);
  });

  it("takes the first three digits of any fraction and ignores what follows them, as the regex read of years before 100 does", () => {
    const suffixes: [string, number][] = [
      ["", 0],
      [".", 0],
      [".1", 100],
      [".12", 120],
      [".1234567", 123],
      [".123456789", 123],
      [".1x3", 100],
      [".12x", 120],
      [".x12", 0],
      ["Z", 0],
      [".5Z", 500],
    ];
    for (const [suffix, ms] of suffixes) {
      // Year 2024 takes the digit-by-digit path, year 0024 the regex: both must agree.
      for (const year of ["2024", "0024"]) {
        const text = `${year}-05-01 12:30:07${suffix}`;
        expect(readDatetime(text).toISOString(), text).toBe(
          `${year}-05-01T12:30:07.${pad(ms, 3)}Z`,
        );
      }
    }
  });

  it("refuses text that is not a datetime on either path", () => {
    for (const text of [
      "2024-05-01 12:3x:07",
      "2024-05-01 12:30",
      "2024/05/01 12:30:07.5",
      "0024-05-01 1:30:07",
    ])
      expect(() => readDatetime(text), text).toThrow(/cannot read .* as a datetime/);
  });
});
