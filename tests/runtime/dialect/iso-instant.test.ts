/**
 * isoInstant writes what Date#toISOString writes, over the years datetimes may hold (1-9999),
 * before 1970 and after, at every field's extremes.
 */
import { describe, expect, it } from "vitest";
import { FIRST_INSTANT, isoInstant, LAST_INSTANT } from "../../../runtime/dialect/iso-instant.js";

describe("isoInstant", () => {
  it("equals toISOString at the edges of years 1-9999 and of every part", () => {
    const edges = [
      new Date("0001-01-01T00:00:00.000Z").getTime(),
      new Date("0009-02-03T04:05:06.007Z").getTime(),
      new Date("0099-12-31T23:59:59.999Z").getTime(),
      new Date("0999-12-31T23:59:59.999Z").getTime(),
      new Date("1000-01-01T00:00:00.000Z").getTime(),
      new Date("1969-12-31T23:59:59.999Z").getTime(),
      0,
      1,
      new Date("2000-02-29T12:00:00.010Z").getTime(),
      new Date("2024-10-09T08:07:06.100Z").getTime(),
      new Date("9999-12-31T23:59:59.999Z").getTime(),
    ];
    for (const t of edges) expect(isoInstant(new Date(t))).toBe(new Date(t).toISOString());
  });

  it("equals toISOString over a sweep of instants, negative ones included", () => {
    const start = new Date("1600-01-01T00:00:00.000Z").getTime();
    const end = new Date("2600-01-01T00:00:00.000Z").getTime();
    // A step prime to every calendar unit, so each part takes many values.
    const step = 7_919_000_003;
    let checked = 0;
    for (let t = start; t < end; t += step, checked++) {
      expect(isoInstant(new Date(t))).toBe(new Date(t).toISOString());
    }
    expect(checked).toBeGreaterThan(3_000);
  });

  it("equals toISOString on the last days of February and of every year 1-9999", () => {
    for (let year = 1; year <= 9999; year++) {
      for (const [month, day] of [
        [1, 28],
        [1, 29],
        [2, 1],
        [11, 31],
      ] as const) {
        const date = new Date(0);
        date.setUTCFullYear(year, month, day);
        date.setUTCHours(23, 59, 59, 999);
        if (date.getUTCFullYear() !== year) continue;
        expect(isoInstant(date)).toBe(date.toISOString());
      }
    }
  });

  it("bounds years 1-9999 exactly", () => {
    expect(new Date(FIRST_INSTANT).toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(new Date(LAST_INSTANT).toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(new Date(FIRST_INSTANT - 1).getUTCFullYear()).toBe(0);
    expect(new Date(LAST_INSTANT + 1).getUTCFullYear()).toBe(10000);
  });
});
