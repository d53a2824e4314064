/**
 * Date parts on date, datetime (at UTC) and time fields, each chainable with comparisons, with
 * the same numbers on every database: ISO weeks (a year's first days may be in the last week
 * of the year before, its last days in week 1), `week_day` 1 = Sunday … 7 = Saturday,
 * `iso_week_day` 1 = Monday … 7 = Sunday, `second` without its fraction.
 */
import { beforeEach, expect, it } from "vitest";
import { FieldError, ValidationError } from "../../runtime/errors.js";
import { Entry } from "./generated/index.js";
import { forEachTarget, rejects, takeStatements } from "./harness.js";

/** label, datetime, date, time */
const ROWS: Array<[string, string | null, string | null, string | null]> = [
  // Thursday; ISO week 53 of 2020.
  ["r1", "2020-12-31T23:59:59.999Z", "2020-12-31", "23:59:59.999"],
  // Sunday; still ISO week 53 of 2020.
  ["r2", "2021-01-03T00:00:00.000Z", "2021-01-03", "00:00:00"],
  // Monday; ISO week 1 of 2025.
  ["r3", "2024-12-30T12:30:45.500Z", "2024-12-30", "12:30:45.5"],
  // Thursday of a leap year.
  ["r4", "2024-02-29T06:05:04.000Z", "2024-02-29", "06:05:04"],
  // 01:00 at +02:00 is 23:00 the day before at UTC.
  ["r5", "2021-01-01T01:00:00+02:00", null, null],
  ["r6", null, null, null],
];

type Where = Parameters<typeof Entry.filter>[0];
const cases: Array<[Where, string[]]> = [
  [{ at__year: 2020 }, ["r1", "r5"]],
  [{ at__year__range: [2021, 2024] }, ["r2", "r3", "r4"]],
  [{ at__quarter: 4 }, ["r1", "r3", "r5"]],
  [{ at__month__in: [2, 12] }, ["r1", "r3", "r4", "r5"]],
  [{ at__week: 53 }, ["r1", "r2", "r5"]],
  [{ at__week: 1 }, ["r3"]],
  [{ at__week__lt: 10 }, ["r3", "r4"]],
  [{ at__week_day: 1 }, ["r2"]],
  [{ at__week_day: 5 }, ["r1", "r4", "r5"]],
  [{ at__iso_week_day: 7 }, ["r2"]],
  [{ at__iso_week_day: 1 }, ["r3"]],
  [{ at__day__gte: 30 }, ["r1", "r3", "r5"]],
  [{ at__hour__gte: 12 }, ["r1", "r3", "r5"]],
  [{ at__hour: 0 }, ["r2"]],
  [{ at__minute: 30 }, ["r3"]],
  [{ at__second: 59 }, ["r1"]],
  [{ at__second: 45 }, ["r3"]],
  [{ at__second__not: 0 }, ["r1", "r3", "r4", "r6"]],
  [{ at__date: "2021-01-03" }, ["r2"]],
  [{ at__date: "2020-12-31" }, ["r1", "r5"]],
  [{ at__date__gte: "2024-01-01" }, ["r3", "r4"]],
  [{ at__date__in: ["2021-01-03", "2024-02-29"] }, ["r2", "r4"]],
  [{ at__time: "12:30:45.5" }, ["r3"]],
  [{ at__time: "23:00" }, ["r5"]],
  [{ at__time__lt: "06:05:05" }, ["r2", "r4"]],
  [{ at__time__range: ["12:00", "23:59:59.999"] }, ["r1", "r3", "r5"]],
  [{ day__year: 2024 }, ["r3", "r4"]],
  [{ day__week: 53 }, ["r1", "r2"]],
  [{ day__week_day__in: [1, 2] }, ["r2", "r3"]],
  [{ day__iso_week_day__gte: 4 }, ["r1", "r2", "r4"]],
  [{ day__quarter: 1 }, ["r2", "r4"]],
  [{ clock__hour__lt: 12 }, ["r2", "r4"]],
  [{ clock__second: 59 }, ["r1"]],
  [{ clock__minute__range: [5, 30] }, ["r3", "r4"]],
];

forEachTarget((target) => {
  beforeEach(async () => {
    await Entry.all().delete();
    await Entry.bulkCreate(
      ROWS.map(([label, at, day, clock]) => ({
        label,
        at: at === null ? null : new Date(at),
        day,
        clock,
      })),
    );
  });

  const labels = async (where: Where): Promise<string[]> =>
    (await Entry.filter(where).orderBy("label").valuesList("label", { flat: true })) as string[];

  it("gives every part the same numbers on every database", async () => {
    for (const [where, expected] of cases)
      expect(await labels(where), JSON.stringify(where)).toEqual(expected);
  });

  it("writes the ISO week from EXTRACT on Postgres and from the week's Thursday on SQLite", async () => {
    takeStatements();
    await labels({ at__week__gte: 53 });
    const [statement] = takeStatements();
    expect(statement!.sql).toContain(
      target.dialect === "postgres"
        ? `WHERE CAST(EXTRACT(WEEK FROM "entry"."at" AT TIME ZONE 'UTC') AS INTEGER) >= $1`
        : target.dialect === "mysql"
          ? `WHERE WEEK("entry"."at", 3) >= ?`
          : `WHERE ((CAST(strftime('%j', julianday("entry"."at") - (CAST(strftime('%w', "entry"."at") AS INTEGER) + 6) % 7 + 3) AS INTEGER) - 1) / 7 + 1) >= +?`,
    );
    expect(statement!.params).toEqual([53]);
  });

  it("exclude keeps rows whose value is NULL", async () => {
    const kept = await Entry.all()
      .exclude({ day__year: 2024 })
      .orderBy("label")
      .valuesList("label", { flat: true });
    expect(kept).toEqual(["r1", "r2", "r5", "r6"]);
  });

  it("refuses parts a kind does not have and values of the wrong type", async () => {
    const fieldErrors = [
      { clock__year: 1 },
      { day__hour: 1 },
      { day__date: "2024-01-01" },
      { at__week__contains: 1 },
      { label__year: 2024 },
    ];
    for (const where of fieldErrors)
      expect(await rejects(Entry.filter(where as never)), JSON.stringify(where)).toBeInstanceOf(
        FieldError,
      );
    const valueErrors = [
      { at__hour: "9" },
      { at__date: "2024-13-01" },
      { at__time: "25:00" },
      { at__week__in: [1.5] },
      { at__date__range: ["2024-01-01", null] },
    ];
    for (const where of valueErrors)
      expect(await rejects(Entry.filter(where as never)), JSON.stringify(where)).toBeInstanceOf(
        ValidationError,
      );
    void (() => {
      // @ts-expect-error a part compares with a number
      Entry.filter({ at__hour: "9" });
      // @ts-expect-error a time field has no year
      Entry.filter({ clock__year: 2024 });
      // @ts-expect-error a date field has no hour
      Entry.filter({ day__hour__gte: 1 });
      // @ts-expect-error the date of a datetime is a date
      Entry.filter({ at__date: 20240101 });
      Entry.filter({ at__date__gte: new Date(), at__time__lt: "09:00", clock__second__in: [1] });
    });
  });
});
