/**
 * SQLite's stored datetimes (`YYYY-MM-DDTHH:MM:SS.sssZ`), read digit by digit instead of through
 * `Date`'s parser: every text must come out as the instant `new Date(text)` gives, or fail as it
 * fails — over the calendar's edges, rolled-over days and text that is not quite the stored form.
 * The native engine's reader parses the same cells in place inside its result text.
 */
import { describe, expect, it } from "vitest";
import { sqlite } from "../../../runtime/dialect/sqlite/index.js";
import { parseSqliteDatetime, SqliteRowReader } from "../../../runtime/dialect/sqlite/reader.js";
import { NativeRowReader, Tag } from "../../../runtime/driver/native/reader.js";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function stored(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) {
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
}

/** What `Date` makes of the text: its instant, or "invalid". */
function byDate(text: string): number | "invalid" {
  const t = new Date(text).getTime();
  return Number.isNaN(t) ? "invalid" : t;
}

/** What the reader makes of it: its instant, or "invalid" when it throws. */
function parsed(text: string): number | "invalid" {
  try {
    return parseSqliteDatetime(text).getTime();
  } catch {
    return "invalid";
  }
}

describe("parseSqliteDatetime", () => {
  it("gives Date's instant for every day of leap and common years, before and after 1970", () => {
    for (const year of [
      100, 399, 400, 1600, 1899, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9999,
    ]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const text = stored(
            year,
            month,
            day,
            (day * 7) % 24,
            (day * 13) % 60,
            day % 60,
            day * 31,
          );
          expect(parsed(text), text).toBe(byDate(text));
        }
      }
    }
  });

  it("agrees with Date at the edges of every part and on text that is not the stored form", () => {
    const texts = [
      stored(2024, 12, 31, 23, 59, 59, 999),
      stored(2024, 1, 1, 0, 0, 0, 0),
      stored(2024, 2, 30, 1, 2, 3, 4), // rolls over into March, as Date does
      stored(2023, 2, 29, 0, 0, 0, 0),
      stored(2024, 4, 31, 0, 0, 0, 0),
      stored(99, 6, 15, 12, 0, 0, 0), // a two-digit year: Date's own reading
      stored(0, 1, 1, 0, 0, 0, 0),
      stored(2024, 0, 10, 0, 0, 0, 0),
      stored(2024, 13, 10, 0, 0, 0, 0),
      stored(2024, 1, 0, 0, 0, 0, 0),
      stored(2024, 1, 32, 0, 0, 0, 0),
      stored(2024, 1, 1, 24, 0, 0, 0),
      stored(2024, 1, 1, 23, 60, 0, 0),
      stored(2024, 1, 1, 23, 0, 60, 0),
      "2024-01-0aT00:00:00.000Z",
      "2024-01-01 00:00:00.000Z",
      "2024/01/01T00:00:00.000Z",
      "2024-01-01T00:00:00,000Z",
      "+02024-01-01T00:00:00.00",
      "2024-01-01T00:00:00.000+",
      "2024-01-01T0:00:00.0000Z",
    ];
    for (const text of texts) expect(parsed(text), text).toBe(byDate(text));
    // Text Date reads but the stored form never holds stays refused, as before.
    expect(parsed("2024-01-01T00:00:00.000z")).toBe("invalid");
    // SQLite's own CURRENT_TIMESTAMP text (no zone) still reads as UTC.
    expect(parsed("2024-05-06 07:08:09")).toBe(Date.UTC(2024, 4, 6, 7, 8, 9));
  });
});

describe("NativeRowReader on SQLite datetimes", () => {
  it("reads a stored datetime in place inside the result text, as the better-sqlite3 reader does", () => {
    const cells = [
      "x",
      "2024-02-29T23:59:58.123Z",
      "2024-02-30T00:00:00.000Z",
      "2024-01-01 10:00:00",
      "2024-13-01T00:00:00.000Z",
    ];
    // One row, one TEXT column per cell, all in one text.
    const rows = 1;
    const stride = 8 + 8 * rows;
    const buffer = new ArrayBuffer(cells.length * stride);
    const view = new DataView(buffer);
    let text = "";
    cells.forEach((cell, c) => {
      view.setUint8(c * stride, Tag.TEXT);
      view.setUint32(c * stride + 8, text.length, true);
      view.setUint32(c * stride + 12, cell.length, true);
      text += cell;
    });
    const native = new NativeRowReader(buffer, text, rows, cells.length, {
      dialect: sqlite,
      bigints: false,
    });
    const js = new SqliteRowReader([cells]);
    for (let c = 1; c < cells.length - 1; c++) {
      expect(native.datetime(c, 0).getTime(), cells[c]).toBe(js.datetime(c, 0).getTime());
    }
    expect(native.datetime(1, 0).toISOString()).toBe("2024-02-29T23:59:58.123Z");
    expect(() => native.datetime(4, 0)).toThrow(
      "column 4, row 0: the stored text is not a datetime",
    );
    expect(() => js.datetime(4, 0)).toThrow("column 4, row 0: the stored text is not a datetime");
  });
});
