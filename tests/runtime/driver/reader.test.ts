/**
 * Every RowReader getter on every driver, against the real database, with values stored the
 * way design.md says each dialect stores them (the runtime's encoding, written here by hand).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Driver, Param, RowReader } from "../../../runtime/driver/driver.js";
import { targets } from "../../support/targets.js";
import { placeholders, useDriver } from "./open.js";

const BIG = 2n ** 53n + 1n;
const WHEN = new Date("2024-02-29T23:59:58.123Z");
const BYTES = new Uint8Array([0, 1, 127, 128, 255]);
const UUID = "0b3e9a4e-8f7b-4c57-9d0f-6c1b2f3e4d5a";
const JSON_VALUE = { a: [1, "two", null], b: { nested: true } };

const COLUMNS = [
  "i",
  "s",
  "b",
  "f",
  "flag",
  "t",
  "d",
  "at",
  "day",
  "clock",
  "u",
  "j",
  "bin",
] as const;

function ddl(driver: Driver): string {
  if (driver.dialect.name === "mysql")
    return `CREATE TABLE cells (i INTEGER, s SMALLINT, b BIGINT, f DOUBLE, flag BOOLEAN, t LONGTEXT,
        d DECIMAL(30, 2), at DATETIME(6), day DATE, clock TIME(6), u CHAR(36), j JSON, bin LONGBLOB)`;
  return driver.dialect.name === "postgres"
    ? `CREATE TABLE cells (i INTEGER, s SMALLINT, b BIGINT, f DOUBLE PRECISION, flag BOOLEAN, t TEXT,
        d NUMERIC(30, 2), at TIMESTAMPTZ, day DATE, clock TIME, u UUID, j JSONB, bin BYTEA)`
    : `CREATE TABLE cells (i INTEGER, s INTEGER, b INTEGER, f REAL, flag INTEGER, t TEXT,
        d TEXT, at TEXT, day TEXT, clock TEXT, u TEXT, j TEXT, bin BLOB)`;
}

function row(driver: Driver): Param[] {
  const pg = driver.dialect.name === "postgres";
  return [
    -2147483648,
    32767,
    BIG,
    1.5,
    pg ? true : 1,
    "héllo 'quoted' \"text\"",
    "12345678901234567890.12",
    // MySQL's DATETIME(6) takes UTC wall-clock text.
    driver.dialect.name === "mysql"
      ? WHEN.toISOString().replace("T", " ").replace("Z", "")
      : WHEN.toISOString(),
    "2024-02-29",
    "13:45:30.123456",
    UUID,
    JSON.stringify(JSON_VALUE),
    BYTES,
  ];
}

for (const target of targets()) {
  describe(`RowReader on ${target.name}`, () => {
    const db = useDriver(target);
    let r: RowReader;

    beforeAll(async () => {
      const { driver } = db;
      await driver.execute(ddl(driver), []);
      const insert = `INSERT INTO cells (${COLUMNS.join(", ")}) VALUES (${placeholders(driver, COLUMNS.length)})`;
      await driver.execute(insert, row(driver));
      await driver.execute(
        insert,
        COLUMNS.map(() => null),
      );
      const result = await driver.query(
        `SELECT ${COLUMNS.join(", ")} FROM cells ORDER BY ${driver.dialect.name === "mysql" ? "i IS NULL, i" : "i NULLS LAST"}`,
        [],
        {
          bigints: true,
        },
      );
      expect(result.rowCount).toBe(2);
      expect(result.columns).toEqual([...COLUMNS]);
      r = result.reader;
    });

    it("reads integers, including bigints past 2^53 exactly", () => {
      expect(r.int(0, 0)).toBe(-2147483648);
      expect(r.int(1, 0)).toBe(32767);
      expect(r.bigint(2, 0)).toBe(BIG);
    });

    it("reads floats and booleans", () => {
      expect(r.float(3, 0)).toBe(1.5);
      expect(r.boolean(4, 0)).toBe(true);
    });

    it("reads text, decimals (exactly) and uuids", () => {
      expect(r.text(5, 0)).toBe("héllo 'quoted' \"text\"");
      expect(r.decimal(6, 0)).toBe("12345678901234567890.12");
      expect(r.uuid(10, 0)).toBe(UUID);
    });

    it("reads datetimes as UTC instants with milliseconds", () => {
      const at = r.datetime(7, 0);
      expect(at).toBeInstanceOf(Date);
      expect(at.toISOString()).toBe(WHEN.toISOString());
    });

    it("reads dates and times as strings", () => {
      expect(r.date(8, 0)).toBe("2024-02-29");
      expect(r.time(9, 0)).toBe("13:45:30.123456");
    });

    it("reads json and binary", () => {
      expect(r.json(11, 0)).toEqual(JSON_VALUE);
      const bin = r.binary(12, 0);
      expect(bin.constructor).toBe(Uint8Array);
      expect(bin).toEqual(BYTES);
    });

    it("reports NULL in every column, and value() returns null for it", () => {
      COLUMNS.forEach((_, c) => {
        expect(r.isNull(c, 1)).toBe(true);
        expect(r.value(c, 1)).toBeNull();
      });
      COLUMNS.forEach((_, c) => expect(r.isNull(c, 0)).toBe(false));
    });

    it("value() decodes untyped cells by their storage", () => {
      expect(r.value(0, 0)).toBe(-2147483648);
      expect(r.value(2, 0)).toBe(BIG);
      expect(r.value(5, 0)).toBe("héllo 'quoted' \"text\"");
      expect(r.value(12, 0)).toEqual(BYTES);
    });

    it("keeps integer expressions as numbers without the bigints option", async () => {
      const res = await db.driver.query("SELECT COUNT(*) AS n FROM cells", []);
      expect(res.reader.int(0, 0)).toBe(2);
      expect(res.reader.value(0, 0)).toBe(2);
    });

    it("returns an empty result with column names for no rows", async () => {
      const res = await db.driver.query("SELECT i, t FROM cells WHERE i = 0", []);
      expect(res.rowCount).toBe(0);
      expect(res.columns).toEqual(["i", "t"]);
    });

    if (target.dialect === "postgres") {
      it("reads NaN and ±Infinity floats", async () => {
        const res = await db.driver.query(
          "SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8, true, 1.25::float8",
          [],
        );
        expect(res.reader.float(0, 0)).toBeNaN();
        expect(res.reader.float(1, 0)).toBe(Infinity);
        expect(res.reader.float(2, 0)).toBe(-Infinity);
        expect(res.reader.value(3, 0)).toBe(true);
        expect(res.reader.value(4, 0)).toBe(1.25);
      });

      it("reads timestamps at other offsets and rejects infinity with a clear error", async () => {
        const res = await db.driver.query(
          "SELECT '2024-01-02 03:04:05.678+05:30'::timestamptz, 'infinity'::timestamptz, '2024-01-02 03:04:05'::timestamp",
          [],
        );
        expect(res.reader.datetime(0, 0).toISOString()).toBe("2024-01-01T21:34:05.678Z");
        expect(() => res.reader.datetime(1, 0)).toThrow(/infinity.*cannot hold/);
        expect(res.reader.datetime(2, 0).toISOString()).toBe("2024-01-02T03:04:05.000Z");
      });

      it("binds an array as one parameter for = ANY($1)", async () => {
        const res = await db.driver.query("SELECT t FROM cells WHERE t = ANY($1)", [
          ["nope", "héllo 'quoted' \"text\"", null, 'a,b{"}\\'],
        ]);
        expect(res.rowCount).toBe(1);
        const ids = await db.driver.query("SELECT count(*) FROM cells WHERE b = ANY($1)", [
          [BIG, 1n],
        ]);
        expect(ids.reader.int(0, 0)).toBe(1);
      });
    } else {
      it("reads SQLite's own CURRENT_TIMESTAMP text as UTC", async () => {
        const res = await db.driver.query("SELECT '2024-01-02 03:04:05'", []);
        expect(res.reader.datetime(0, 0).toISOString()).toBe("2024-01-02T03:04:05.000Z");
      });

      it("binds booleans as 0/1", async () => {
        const res = await db.driver.query("SELECT ?, ?", [true, false]);
        expect([res.reader.int(0, 0), res.reader.int(1, 0)]).toEqual([1, 0]);
        expect(res.reader.boolean(0, 0)).toBe(true);
        expect(res.reader.boolean(1, 0)).toBe(false);
      });
    }
  });
}
