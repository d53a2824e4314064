/**
 * Reads mysql2 results fetched as arrays (config.ts): integers and floats arrive as numbers (a
 * BIGINT past 2^53 as exact text), DECIMAL as exact text, DATETIME (parsed here, at UTC), DATE and
 * TIME as the server's text, BLOBs as Buffers, JSON as its text. Each getter hands over the
 * cell as the api.md value of its field kind, converting only what mysql2 did not.
 */
import type { FieldPacket } from "mysql2";
import type { Result, RowReader } from "../driver.js";
import { YaraError } from "../../errors.js";
import { daysFromCivil } from "../../dialect/iso-instant.js";

export type MysqlCell = string | number | bigint | Buffer | Date | null;
export type MysqlRow = readonly MysqlCell[];

/** Column type codes (the protocol's MYSQL_TYPE_*) `value()` decodes; the rest stays as read. */
const TYPE = {
  decimal: 0,
  tiny: 1,
  short: 2,
  long: 3,
  float: 4,
  double: 5,
  timestamp: 7,
  longlong: 8,
  int24: 9,
  date: 10,
  time: 11,
  datetime: 12,
  year: 13,
  newdecimal: 246,
  json: 245,
} as const;

const BINARY_CHARSET = 63;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class MysqlRowReader implements RowReader {
  constructor(
    private readonly rows: readonly MysqlRow[],
    private readonly fields: readonly FieldPacket[],
    /** `QueryOptions.bigints`: `value()` returns every BIGINT as a bigint. */
    private readonly bigints: boolean,
  ) {}

  /** mysql2's array of row `row`'s cells (snapshot.ts keeps it as the instance's loaded values). */
  row(row: number): MysqlRow {
    return this.rows[row] as MysqlRow;
  }

  private cell(col: number, row: number): MysqlCell {
    return (this.rows[row] as MysqlRow)[col] as MysqlCell;
  }

  isNull(col: number, row: number): boolean {
    return (this.rows[row] as MysqlRow)[col] === null;
  }

  int(col: number, row: number): number {
    const cell = this.cell(col, row);
    if (typeof cell === "number") return cell;
    const n = Number(cell);
    if (n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER) throw unsafeInt(col, row);
    return n;
  }

  bigint(col: number, row: number): bigint {
    const cell = this.cell(col, row);
    return typeof cell === "bigint" ? cell : BigInt(String(cell));
  }

  float(col: number, row: number): number {
    const cell = this.cell(col, row);
    return typeof cell === "number" ? cell : Number(cell);
  }

  /** TINYINT(1) 0 / 1, or a comparison's 0 / 1. */
  boolean(col: number, row: number): boolean {
    const cell = this.cell(col, row);
    return typeof cell === "number" ? cell !== 0 : Number(cell) !== 0;
  }

  text(col: number, row: number): string {
    const cell = this.cell(col, row);
    if (typeof cell === "string") return cell;
    return Buffer.isBuffer(cell) ? cell.toString("utf8") : String(cell);
  }

  decimal(col: number, row: number): string {
    const cell = this.cell(col, row);
    return typeof cell === "string" ? cell : String(cell);
  }

  /** DATETIME(6) at UTC: a Date from mysql2, or text ("2024-05-01 12:30:00.123000") from an expression. */
  datetime(col: number, row: number): Date {
    const cell = this.cell(col, row);
    // The fast paths called from here, not through parseDatetime: a call less per cell.
    if (typeof cell === "string") {
      const read =
        this.fields[col]?.columnType === TYPE.datetime ? serverDatetime(cell) : fastDatetime(cell);
      return read ?? slowDatetime(cell);
    }
    return cell instanceof Date ? checkedDate(cell, col, row) : parseDatetime(this.text(col, row));
  }

  date(col: number, row: number): string {
    return this.text(col, row).slice(0, 10);
  }

  /** TIME(6) text without trailing zeros of the fraction, as Postgres writes a time. */
  time(col: number, row: number): string {
    return trimFraction(this.text(col, row));
  }

  uuid(col: number, row: number): string {
    return this.text(col, row);
  }

  json(col: number, row: number): unknown {
    return JSON.parse(this.text(col, row));
  }

  binary(col: number, row: number): Uint8Array {
    const cell = this.cell(col, row);
    const bytes = Buffer.isBuffer(cell) ? cell : Buffer.from(String(cell), "utf8");
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Best effort by the column's type: numbers, Dates, bytes; else text (DECIMAL stays exact text). */
  value(col: number, row: number): unknown {
    const cell = this.cell(col, row);
    if (cell === null) return null;
    const field = this.fields[col];
    switch (field?.columnType) {
      case TYPE.tiny:
      case TYPE.short:
      case TYPE.long:
      case TYPE.int24:
      case TYPE.year:
      case TYPE.float:
      case TYPE.double:
        return Number(cell);
      case TYPE.longlong: {
        if (typeof cell === "number") return this.bigints ? BigInt(cell) : cell;
        const n = BigInt(String(cell));
        return this.bigints || n > MAX_SAFE || n < -MAX_SAFE ? n : Number(n);
      }
      case TYPE.datetime:
      case TYPE.timestamp:
        return cell instanceof Date ? checkedDate(cell, col, row) : parseDatetime(String(cell));
      case TYPE.time:
        return trimFraction(String(cell));
      case TYPE.json:
        return JSON.parse(String(cell));
      default:
        if (Buffer.isBuffer(cell)) {
          if (field?.characterSet === BINARY_CHARSET)
            return new Uint8Array(cell.buffer, cell.byteOffset, cell.byteLength);
          return cell.toString("utf8");
        }
        return typeof cell === "number" ? cell : String(cell);
    }
  }
}

/**
 * The server's DATETIME text, "2024-05-01 12:30:00[.123456]", as a Date at UTC (milliseconds:
 * the first three digits of the fraction). The common form is read digit by digit (a regex and
 * its match array per cell made the 5 000-row fetch twice raw mysql2's CPU); anything else
 * goes through the regex, which accepts the same texts and reads them alike.
 */
function parseDatetime(text: string): Date {
  return fastDatetime(text) ?? slowDatetime(text);
}

/** What fastDatetime leaves: the regex's reading of the text (years before 100, other forms). */
function slowDatetime(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text);
  if (m === null) throw new YaraError(`cannot read "${text}" as a datetime`);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms);
  return date;
}

/**
 * The Date of text starting `YYYY-MM-DD hh:mm:ss` (or with a `T`), years 100 and later
 * (Date.UTC reads 0–99 as 19xx); undefined for anything else. As the regex does, it takes the
 * first three digits of a fraction (a `.` and digits) and ignores whatever follows them, so it
 * reads at most 23 characters whatever the text's length (each `charCodeAt` costs about 19
 * instructions under callgrind). Each is read once, into its own variable, and checked as an
 * unsigned digit (`d >>> 0 > 9` is true for anything below "0", and for the -1 standing for a
 * character past the end). It returns the Date, not its time value: V8 does not inline a
 * function this long, and a time value past 2^31 returned from a call is a heap number
 * allocated per cell.
 */
function fastDatetime(t: string): Date | undefined {
  const length = t.length;
  if (length < 19) return undefined;
  const sep = t.charCodeAt(10);
  if (
    t.charCodeAt(4) !== 45 ||
    t.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    t.charCodeAt(13) !== 58 ||
    t.charCodeAt(16) !== 58
  )
    return undefined;
  const y0 = t.charCodeAt(0) - 48;
  const y1 = t.charCodeAt(1) - 48;
  const y2 = t.charCodeAt(2) - 48;
  const y3 = t.charCodeAt(3) - 48;
  const mo0 = t.charCodeAt(5) - 48;
  const mo1 = t.charCodeAt(6) - 48;
  const d0 = t.charCodeAt(8) - 48;
  const d1 = t.charCodeAt(9) - 48;
  const h0 = t.charCodeAt(11) - 48;
  const h1 = t.charCodeAt(12) - 48;
  const mi0 = t.charCodeAt(14) - 48;
  const mi1 = t.charCodeAt(15) - 48;
  const s0 = t.charCodeAt(17) - 48;
  const s1 = t.charCodeAt(18) - 48;
  if (
    notDigit(y0) ||
    notDigit(y1) ||
    notDigit(y2) ||
    notDigit(y3) ||
    notDigit(mo0) ||
    notDigit(mo1) ||
    notDigit(d0) ||
    notDigit(d1) ||
    notDigit(h0) ||
    notDigit(h1) ||
    notDigit(mi0) ||
    notDigit(mi1) ||
    notDigit(s0) ||
    notDigit(s1)
  )
    return undefined;
  // Milliseconds: the fraction's first three digits, as if padded with zeros; none without one.
  let ms = 0;
  if (length > 20 && t.charCodeAt(19) === 46) {
    const f0 = t.charCodeAt(20) - 48;
    const f1 = length > 21 ? t.charCodeAt(21) - 48 : -1;
    const f2 = length > 22 ? t.charCodeAt(22) - 48 : -1;
    if (notDigit(f0)) ms = 0;
    else if (notDigit(f1)) ms = f0 * 100;
    else if (notDigit(f2)) ms = f0 * 100 + f1 * 10;
    else ms = f0 * 100 + f1 * 10 + f2;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  if (year < 100) return undefined;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  if (month < 1 || month > 12)
    return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  return utcDate(year, month, day, hour, minute, second, ms);
}

/**
 * fastDatetime for a DATETIME column's text, which has one form whoever writes it (the server,
 * or mysql2 from the binary protocol's fields): `YYYY-MM-DD hh:mm:ss`, then for DATETIME(n) a
 * `.` and n digits. Its length says where the fraction is; only the digits are read, and not
 * checked, which saves the six other characters' reads and seventeen checks (about 160 of the
 * 700 instructions a cell under callgrind). Years before 100 (the zero date among them) and
 * months out of range go to the regex, as does a length the form cannot have.
 */
function serverDatetime(t: string): Date | undefined {
  const length = t.length;
  if (length < 19 || length === 20 || length > 26) return undefined;
  const year =
    (t.charCodeAt(0) - 48) * 1000 +
    (t.charCodeAt(1) - 48) * 100 +
    (t.charCodeAt(2) - 48) * 10 +
    (t.charCodeAt(3) - 48);
  const month = (t.charCodeAt(5) - 48) * 10 + (t.charCodeAt(6) - 48);
  if (year < 100 || month < 1 || month > 12) return undefined;
  const day = (t.charCodeAt(8) - 48) * 10 + (t.charCodeAt(9) - 48);
  const hour = (t.charCodeAt(11) - 48) * 10 + (t.charCodeAt(12) - 48);
  const minute = (t.charCodeAt(14) - 48) * 10 + (t.charCodeAt(15) - 48);
  const second = (t.charCodeAt(17) - 48) * 10 + (t.charCodeAt(18) - 48);
  // Milliseconds: the fraction's first three digits, as if padded with zeros.
  let ms = 0;
  if (length > 20) {
    ms = (t.charCodeAt(20) - 48) * 100;
    if (length > 21) ms += (t.charCodeAt(21) - 48) * 10;
    if (length > 22) ms += t.charCodeAt(22) - 48;
  }
  return utcDate(year, month, day, hour, minute, second, ms);
}

/**
 * The Date of a UTC civil time, month 1–12. Its arguments are small integers and it returns the
 * Date itself: the time value is past 2^31, a heap number if it were returned from a call.
 */
function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): Date {
  return new Date(
    daysFromCivil(year, month, day) * 86_400_000 +
      hour * 3_600_000 +
      minute * 60_000 +
      second * 1000 +
      ms,
  );
}

/** Whether `d`, a character code minus 48, is not one of "0"–"9". */
function notDigit(d: number): boolean {
  return d >>> 0 > 9;
}

/** mysql2 makes an Invalid Date of what no Date holds; say so instead of handing it on. */
function checkedDate(date: Date, col: number, row: number): Date {
  if (Number.isNaN(date.getTime()))
    throw new YaraError(`column ${col}, row ${row}: the datetime is not a valid instant`);
  return date;
}

function trimFraction(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function unsafeInt(col: number, row: number): YaraError {
  return new YaraError(
    `column ${col}, row ${row}: the integer is beyond 2^53, where a number loses digits; read it as a bigint`,
  );
}

/** A query's result; column names are built only if someone reads them (`raw`). */
export class MysqlResult implements Result {
  readonly rowCount: number;
  readonly reader: MysqlRowReader;
  #columns: readonly string[] | undefined;

  constructor(
    rows: readonly MysqlRow[],
    private readonly fields: readonly FieldPacket[],
    bigints: boolean,
  ) {
    this.rowCount = rows.length;
    this.reader = new MysqlRowReader(rows, fields, bigints);
  }

  get columns(): readonly string[] {
    return (this.#columns ??= this.fields.map((f) => f.name));
  }
}
