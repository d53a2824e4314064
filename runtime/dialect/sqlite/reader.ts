/**
 * Decodes SQLite storage values (design.md, "Storage per dialect") into api.md value types.
 * Shared by every SQLite driver: rows are arrays of cells as SQLite returns them —
 * `null | number | bigint | string | Uint8Array` (better-sqlite3 hands out Buffers, a
 * Uint8Array subclass).
 */
import type { Result, RowReader } from "../../driver/driver.js";
import { YaraError } from "../../errors.js";
import { daysFromCivil } from "../iso-instant.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export type SqliteCell = null | number | bigint | string | Uint8Array;

export class SqliteRowReader implements RowReader {
  constructor(private readonly rows: readonly (readonly SqliteCell[])[]) {}

  /**
   * No bounds check: generated decoders read the columns they selected. The native driver's
   * reader overrides it to read cells out of its result buffer (runtime/driver/native/reader.ts).
   */
  protected cell(col: number, row: number): SqliteCell {
    return (this.rows[row] as readonly SqliteCell[])[col] as SqliteCell;
  }

  isNull(col: number, row: number): boolean {
    return this.cell(col, row) === null;
  }

  int(col: number, row: number): number {
    const v = this.cell(col, row);
    if (typeof v === "number" && Number.isInteger(v)) return v;
    return intOf(v, col, row);
  }

  bigint(col: number, row: number): bigint {
    const v = this.cell(col, row);
    if (typeof v === "bigint") return v;
    if (typeof v === "number") {
      if (!Number.isInteger(v)) throw notInteger(col, row);
      return BigInt(v);
    }
    if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v);
    // BigInt() would quote the stored text in its message.
    throw new YaraError(`column ${col}, row ${row}: the stored ${storage(v)} is not an integer`);
  }

  float(col: number, row: number): number {
    const v = this.cell(col, row);
    return typeof v === "number" ? v : floatOf(v, col, row);
  }

  boolean(col: number, row: number): boolean {
    const v = this.cell(col, row);
    return v !== 0 && v !== 0n && v !== "0";
  }

  text(col: number, row: number): string {
    const v = this.cell(col, row);
    return typeof v === "string" ? v : String(v);
  }

  decimal(col: number, row: number): string {
    return this.text(col, row);
  }

  datetime(col: number, row: number): Date {
    const v = this.cell(col, row);
    if (typeof v === "string") return parseSqliteDatetime(v, col, row);
    if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
    throw new YaraError(`column ${col}, row ${row}: a BLOB is not a datetime`);
  }

  date(col: number, row: number): string {
    return this.text(col, row);
  }

  time(col: number, row: number): string {
    return this.text(col, row);
  }

  uuid(col: number, row: number): string {
    return this.text(col, row);
  }

  json(col: number, row: number): unknown {
    const v = this.cell(col, row);
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      // JSON.parse quotes the text in its message: keep stored values out of errors.
      throw new YaraError(`column ${col}, row ${row}: the stored text is not valid JSON`);
    }
  }

  binary(col: number, row: number): Uint8Array {
    const v = this.cell(col, row);
    if (v instanceof Uint8Array) return plainBytes(v);
    if (typeof v === "string") return new TextEncoder().encode(v);
    throw new YaraError(`column ${col}, row ${row}: a ${typeof v} is not binary`);
  }

  /**
   * The stored value; bytes as a plain Uint8Array. SQLite has one integer type, so with
   * `bigints` on, integers that fit in 2^53 still come back as numbers and only larger ones as
   * bigints — exact either way.
   */
  value(col: number, row: number): unknown {
    const v = this.cell(col, row);
    if (typeof v === "bigint") return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
    return v instanceof Uint8Array ? plainBytes(v) : v;
  }
}

/** A reader over no rows, for statements that return none. */
export function emptySqliteResult(rowCount: number): Result {
  return { rowCount, columns: NO_COLUMNS, reader: EMPTY_READER };
}

const NO_COLUMNS: readonly string[] = [];
const EMPTY_READER = new SqliteRowReader([]);

/**
 * Parses the stored form `YYYY-MM-DDTHH:MM:SS.sssZ`. Text written by SQLite itself
 * (`CURRENT_TIMESTAMP`: `YYYY-MM-DD HH:MM:SS`, no zone) is read as UTC too.
 */
export function parseSqliteDatetime(text: string, col = 0, row = 0): Date {
  // Fast path: the stored form, read digit by digit.
  if (text.length === 24) {
    const ms = storedFormMillis(text, 0);
    if (ms === ms) return new Date(ms);
    if (text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(23) === 90 /* Z */) {
      const date = new Date(text);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  let iso = text;
  if (iso.length >= 11 && iso.charCodeAt(10) === 32 /* space */) {
    iso = `${iso.slice(0, 10)}T${iso.slice(11)}`;
  }
  if (iso.length === 10) iso += "T00:00:00Z";
  else if (!/(Z|[+-]\d\d:?\d\d)$/.test(iso)) iso += "Z";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new YaraError(
      `column ${col}, row ${row}: the stored text is not a datetime (expected YYYY-MM-DDTHH:MM:SS.sssZ)`,
    );
  }
  return date;
}

/** A Uint8Array view of a Buffer's bytes, so results compare equal to plain Uint8Arrays. */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The slow path of `int`: bigints within 2^53 and integer text; anything else is refused. */
function intOf(v: SqliteCell, col: number, row: number): number {
  const n = typeof v === "bigint" || typeof v === "string" ? Number(v) : Number.NaN;
  if (Number.isSafeInteger(n) && (typeof v !== "string" || /^\s*[+-]?\d+\s*$/.test(v))) return n;
  throw new YaraError(
    `column ${col}, row ${row}: the stored ${storage(v)} is not an integer a number holds exactly` +
      (typeof v === "bigint" ? " (read it as a bigint)" : ""),
  );
}

/** The slow path of `float`: bigints and numeric text; anything else is refused, not NaN. */
function floatOf(v: SqliteCell, col: number, row: number): number {
  const n =
    typeof v === "bigint"
      ? Number(v)
      : typeof v === "string" && v.trim() !== ""
        ? Number(v)
        : Number.NaN;
  if (!Number.isNaN(n)) return n;
  throw new YaraError(`column ${col}, row ${row}: the stored ${storage(v)} is not a number`);
}

function storage(v: SqliteCell): string {
  return v === null
    ? "NULL"
    : typeof v === "string"
      ? "TEXT"
      : typeof v === "bigint" || typeof v === "number"
        ? Number.isInteger(Number(v))
          ? "INTEGER"
          : "REAL"
        : "BLOB";
}

function notInteger(col: number, row: number): YaraError {
  return new YaraError(`column ${col}, row ${row}: a REAL is not a bigint`);
}

/**
 * The instant of the stored form `YYYY-MM-DDTHH:MM:SS.sssZ` in the 24 characters of `t` from
 * `at` (the caller checks they exist), or NaN for anything else, which the caller hands to
 * `Date`'s own parser. Reading the digits here costs a fraction of `new Date(text)` (V8's date
 * parser tokenizes the string and looks up keywords: about 1 900 instructions per datetime, the
 * largest JavaScript cost of a SQLite point lookup). `at` lets the native engine's reader parse
 * a cell inside its result text without cutting it out first. Years below 100 and hours,
 * minutes or seconds out of range go to `Date`; a day past the month's end rolls over into the
 * next month exactly as `Date` does.
 */
export function storedFormMillis(t: string, at: number): number {
  const y0 = t.charCodeAt(at) - 48;
  const y1 = t.charCodeAt(at + 1) - 48;
  const y2 = t.charCodeAt(at + 2) - 48;
  const y3 = t.charCodeAt(at + 3) - 48;
  const mo0 = t.charCodeAt(at + 5) - 48;
  const mo1 = t.charCodeAt(at + 6) - 48;
  const d0 = t.charCodeAt(at + 8) - 48;
  const d1 = t.charCodeAt(at + 9) - 48;
  const h0 = t.charCodeAt(at + 11) - 48;
  const h1 = t.charCodeAt(at + 12) - 48;
  const mi0 = t.charCodeAt(at + 14) - 48;
  const mi1 = t.charCodeAt(at + 15) - 48;
  const s0 = t.charCodeAt(at + 17) - 48;
  const s1 = t.charCodeAt(at + 18) - 48;
  const f0 = t.charCodeAt(at + 20) - 48;
  const f1 = t.charCodeAt(at + 21) - 48;
  const f2 = t.charCodeAt(at + 22) - 48;
  // `>>> 0` turns a negative difference (a character below "0") into a large number.
  if (
    y0 >>> 0 > 9 ||
    y1 >>> 0 > 9 ||
    y2 >>> 0 > 9 ||
    y3 >>> 0 > 9 ||
    mo0 >>> 0 > 9 ||
    mo1 >>> 0 > 9 ||
    d0 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    h0 >>> 0 > 9 ||
    h1 >>> 0 > 9 ||
    mi0 >>> 0 > 9 ||
    mi1 >>> 0 > 9 ||
    s0 >>> 0 > 9 ||
    s1 >>> 0 > 9 ||
    f0 >>> 0 > 9 ||
    f1 >>> 0 > 9 ||
    f2 >>> 0 > 9 ||
    t.charCodeAt(at + 4) !== 45 /* - */ ||
    t.charCodeAt(at + 7) !== 45 ||
    t.charCodeAt(at + 10) !== 84 /* T */ ||
    t.charCodeAt(at + 13) !== 58 /* : */ ||
    t.charCodeAt(at + 16) !== 58 ||
    t.charCodeAt(at + 19) !== 46 /* . */ ||
    t.charCodeAt(at + 23) !== 90 /* Z */
  )
    return Number.NaN;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  if (
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return Number.NaN;
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    f0 * 100 +
    f1 * 10 +
    f2
  );
}
