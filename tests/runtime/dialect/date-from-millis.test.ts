/**
 * dateFromMillis and dateFromDays build the Date `new Date(ms)` and Date.UTC build, for every
 * number: fractions and negative instants truncate as the constructor truncates, and what has no
 * Date (NaN, infinities, past ±8.64e15 ms) is the Invalid Date.
 */
import { describe, expect, it } from "vitest";
import { dateFromDays, dateFromMillis } from "../../../runtime/dialect/date-from-millis.js";
import { daysFromCivil } from "../../../runtime/dialect/iso-instant.js";

/** The time value, with the Invalid Date's NaN compared as a value. */
const time = (d: Date): number | string => (Number.isNaN(d.getTime()) ? "invalid" : d.getTime());

describe("dateFromMillis", () => {
  it("equals new Date(ms) at the edges", () => {
    const MAX = 8.64e15;
    const edges = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      1.999,
      -1.999,
      3_599_999.9,
      -3_599_999.9,
      3_600_000,
      -3_600_000,
      3_600_000.5,
      -3_600_000.5,
      2 ** 30,
      2 ** 31 + 0.25,
      -(2 ** 31) - 0.25,
      1_733_312_345_678.901,
      -62_135_596_800_000,
      253_402_300_799_999,
      MAX,
      -MAX,
      MAX + 1,
      -MAX - 1,
      MAX - 0.5,
      -MAX + 0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
    ];
    for (const ms of edges) expect(time(dateFromMillis(ms)), String(ms)).toBe(time(new Date(ms)));
  });

  it("equals new Date(ms) over a sweep of instants with fractions, before 1970 and after", () => {
    // A step prime to every calendar unit, with a fraction, from year -2000 to 6000.
    const step = 7_919_000_003.37;
    let checked = 0;
    for (let ms = -125_000_000_000_000; ms < 127_000_000_000_000; ms += step) {
      const mine = dateFromMillis(ms).getTime();
      if (mine !== new Date(ms).getTime()) expect(mine, String(ms)).toBe(new Date(ms).getTime());
      checked++;
    }
    expect(checked).toBeGreaterThan(30_000);
  });
});

describe("dateFromDays", () => {
  it("equals Date.UTC for every day of a leap and a common year, and around year 1", () => {
    for (const year of [1, 2, 99, 100, 1969, 1970, 2000, 2023, 2024, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const expected = new Date(Date.UTC(year, month - 1, day, 23, 59, 58, 999));
          // Date.UTC reads years 0–99 as 1900–1999.
          if (year < 100) expected.setUTCFullYear(expected.getUTCFullYear() - 1900);
          const built = dateFromDays(daysFromCivil(year, month, day), 23, 59, 58, 999);
          if (built.getTime() !== expected.getTime()) {
            expect(built.toISOString(), `${year}-${month}-${day}`).toBe(expected.toISOString());
          }
        }
      }
    }
  });

  it("carries minutes and seconds out of their range, as an offset applied to the seconds does", () => {
    const days = daysFromCivil(2024, 1, 1);
    expect(dateFromDays(days, 0, 30, -3600 - 1, 0).toISOString()).toBe("2023-12-31T23:29:59.000Z");
    expect(dateFromDays(days, 23, 59, 59 + 3600, 999).toISOString()).toBe(
      "2024-01-02T00:59:59.999Z",
    );
  });
});
