/**
 * Parses Postgres' text output of `timestamptz` / `timestamp` (DateStyle ISO):
 * `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]`, years of 4 or more digits. Without an offset
 * the value is read as UTC (the session runs with TimeZone=UTC). Fractions beyond milliseconds
 * are truncated, as a Date holds milliseconds. `infinity` and BC dates have no Date: they throw.
 */
import { dateFromDays } from "../../dialect/date-from-millis.js";
import { daysFromCivil } from "../../dialect/iso-instant.js";
import { YaraError } from "../../errors.js";

export function parsePgTimestamp(text: string): Date {
  const n = text.length;
  // Year: 4+ digits up to the first '-'.
  let i = 0;
  let year = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i))
    year = year * 10 + c - 48;
  if (
    i < 4 ||
    n < i + 15 ||
    text.charCodeAt(i) !== 45 /* - */ ||
    text.charCodeAt(i + 6) !== 32 /* space */
  ) {
    throw unrepresentable(text);
  }
  const month = two(text, i + 1);
  const day = two(text, i + 4);
  const hour = two(text, i + 7);
  const minute = two(text, i + 10);
  const second = two(text, i + 13);
  i += 15;
  let ms = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    let scale = 100;
    for (let c = text.charCodeAt(++i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
      ms += (c - 48) * scale;
      scale /= 10;
    }
    ms = Math.trunc(ms);
  }
  let offsetSeconds = 0;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    offsetSeconds = two(text, i + 1) * 3600;
    i += 3;
    if (text.charCodeAt(i) === 58 /* : */) {
      offsetSeconds += two(text, i + 1) * 60;
      i += 3;
      if (text.charCodeAt(i) === 58) {
        offsetSeconds += two(text, i + 1);
        i += 3;
      }
    }
    if (sign === 45) offsetSeconds = -offsetSeconds;
  }
  if (i !== n || Number.isNaN(month + day + hour + minute + second)) throw unrepresentable(text);
  // daysFromCivil reads years 1–99 as themselves (Date.UTC would map them to 1900–1999).
  return dateFromDays(daysFromCivil(year, month, day), hour, minute, second - offsetSeconds, ms);
}

function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function unrepresentable(text: string): YaraError {
  const special = /^-?infinity$/i.test(text)
    ? `"${text}"`
    : text.endsWith(" BC")
      ? "a BC date"
      : undefined;
  if (special !== undefined) {
    return new YaraError(
      `Postgres returned the timestamp ${special}, which a JavaScript Date cannot hold; ` +
        "keep such values out of datetime columns or convert them in SQL",
    );
  }
  return new YaraError(
    "cannot read a timestamp that is not in the form YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]",
  );
}

/**
 * A Postgres date's text as api.md's "YYYY-MM-DD". Postgres also writes `infinity`,
 * `-infinity` and `0044-03-15 BC`, which are no such date: those are an error naming the cell.
 */
export function pgDate(text: string, col: number, row: number): string {
  if (text.length !== 10 && (text.endsWith(" BC") || /^-?infinity$/.test(text))) {
    throw new YaraError(
      `column ${col}, row ${row}: Postgres returned the date ${text.endsWith(" BC") ? "a BC date" : `"${text}"`}, ` +
        'which is no "YYYY-MM-DD" date; keep such values out of date columns or convert them in SQL',
    );
  }
  return text;
}
