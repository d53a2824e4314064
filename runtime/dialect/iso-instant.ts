/**
 * `Date.prototype.toISOString()` for years 1-9999, written out in JavaScript: every datetime a
 * create, update or filter binds goes through it once. V8's own formats through a general
 * printf-style formatter, which callgrind showed as the largest single cost of a bulk insert's
 * JavaScript (about 9 500 instructions per call). This splits the time value with integer
 * arithmetic (the days-to-civil-date algorithm of Howard Hinnant's "chrono-Compatible Low-Level
 * Date Algorithms") and looks the two- and three-digit parts up in tables: about 150 ns a call
 * where toISOString takes 475 and reading the Date's seven UTC getters 220 (node 22, 1 000 000
 * calls, tests/runtime/dialect/iso-instant.test.ts checks it equals toISOString).
 */

const MS_PER_DAY = 86_400_000;
/** "00" … "99" and "000" … "999". */
const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * Days from 1970-01-01 to `year`-`month`-`day` in the proleptic Gregorian calendar (year >= 1,
 * month 1–12; a day past the month's end, or 00, counts on as Date.UTC counts it): the inverse
 * of the split below, in integer arithmetic the JIT inlines (Date.UTC is a call into the
 * engine's C++). Every quotient is of non-negative integers, so `| 0` floors. The SQLite and
 * mysql2 readers parse datetime text with it.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The first and last millisecond of years 1-9999 (UTC). */
export const FIRST_INSTANT = -62_135_596_800_000;
export const LAST_INSTANT = 253_402_300_799_999;

/**
 * The text is joined from few pieces, each string concatenation being a call into the engine:
 * `YYYY-MM-DDT` (the last day's kept: consecutive instants mostly share it), `HH:MM:` by minute
 * of the day, `SS.` and `sssZ` from tables.
 */
const MINUTE_OF_DAY = Array.from(
  { length: 1440 },
  (_, m) => `${TWO[Math.floor(m / 60)]}:${TWO[m % 60]}:`,
);
const SECOND = TWO.slice(0, 60).map((ss) => `${ss}.`);
const MILLIS_Z = THREE.map((sss) => `${sss}Z`);
let lastDays = Number.NaN;
let lastDay = "";

/** `YYYY-MM-DDT` of the day `days` after 1970-01-01. */
function dayText(days: number): string {
  // Days since 0000-03-01, in 400-year eras of 146 097 days; March-based years put the leap day last.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const yyyy = year >= 1000 ? `${year}` : String(year).padStart(4, "0");
  return `${yyyy}-${TWO[month]}-${TWO[day]}T`;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` of a time value in years 1-9999 (the caller checks). */
export function isoTime(t: number): string {
  const days = Math.floor(t / MS_PER_DAY);
  let ms = t - days * MS_PER_DAY;
  if (days !== lastDays) {
    lastDay = dayText(days);
    lastDays = days;
  }
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  return lastDay + MINUTE_OF_DAY[minutes]! + SECOND[seconds]! + MILLIS_Z[ms]!;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` of a valid Date whose UTC year is 1-9999 (the caller checks). */
export function isoInstant(date: Date): string {
  return isoTime(date.getTime());
}
