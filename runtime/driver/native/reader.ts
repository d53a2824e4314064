/**
 * Reads the native engine's result encoding (native/src/columnar.rs): one ArrayBuffer of typed
 * columns plus one string holding every text cell. Per column, at byte `c * stride`
 * (`stride = pad8(rows) + 8 * rows`): `rows` tag bytes (padded to 8), then one 8-byte slot per
 * row — an f64 (NUMBER, BOOL, TIMESTAMP ms), an i64 (BIGINT) or two u32 (start, length): UTF-16
 * units into the text for TEXT/JSON, bytes into the blob region after the last column for BLOB.
 *
 * The getters a generated decoder calls on the common path are one tag read and one typed-array
 * read (`int`, `float`) or a `text.slice`; everything else — SQLite's loose storage (an INTEGER
 * column holding text, REAL where an integer is expected) and the error messages — goes through
 * the dialect's JavaScript reader over the same cell, so every getter, `value()` included,
 * returns what the `better-sqlite3` / `pg` driver returns for that cell.
 */
import type { Result, RowReader } from "../driver.js";
import { dateFromMillis } from "../../dialect/date-from-millis.js";
import type { Dialect } from "../../dialect/dialect.js";
import { YaraError } from "../../errors.js";
import {
  parseSqliteDatetime,
  SqliteRowReader,
  storedFormMillis,
  type SqliteCell,
} from "../../dialect/sqlite/reader.js";
import { parsePgTimestamp, pgDate } from "../pg/timestamp.js";

/** Cell tags (native/src/columnar.rs `tag`). */
export const Tag = {
  NULL: 0,
  NUMBER: 1,
  BIGINT: 2,
  BOOL: 3,
  TEXT: 4,
  BLOB: 5,
  TIMESTAMP: 6,
  JSON: 7,
} as const;

/** A result set as the addon hands it over: `[buffer, text, rows, columns?]`. */
export type EncodedResult = readonly [
  buffer: ArrayBuffer,
  text: string,
  rows: number,
  columns?: readonly string[],
];

export interface ReaderOptions {
  readonly dialect: Dialect;
  /**
   * `QueryOptions.bigints`. SQLite: BIGINT cells read as bigints (else as the nearest number, as
   * better-sqlite3 without safeIntegers). Postgres: `value()` returns BIGINT cells as bigints
   * whatever this says (the engine tags int8 BIGINT only when asked to, or beyond 2^53).
   */
  readonly bigints: boolean;
}

const utf8 = new TextDecoder();

/**
 * Typed-array views over one buffer holding encoded results: a result's own buffer, or an arena
 * many small results were written into (arena.ts). Made once per buffer.
 */
export class ResultMemory {
  readonly u8: Uint8Array;
  readonly f64: Float64Array;
  #u32: Uint32Array | undefined;
  #i64: BigInt64Array | undefined;

  constructor(readonly buffer: ArrayBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer, 0, buffer.byteLength >>> 3);
  }

  get u32(): Uint32Array {
    return (this.#u32 ??= new Uint32Array(this.buffer, 0, this.buffer.byteLength >>> 2));
  }

  get i64(): BigInt64Array {
    return (this.#i64 ??= new BigInt64Array(this.buffer, 0, this.buffer.byteLength >>> 3));
  }
}

const EMPTY_MEMORY = new ResultMemory(new ArrayBuffer(0));

export class NativeRowReader implements RowReader {
  readonly #memory: ResultMemory;
  readonly #tags: Uint8Array;
  readonly #f64: Float64Array;
  readonly #text: string;
  readonly #rows: number;
  /** Byte offset of the result in the memory (a multiple of 8). */
  readonly #base: number;
  /** Column stride in bytes, and in 8-byte slots. */
  readonly #stride: number;
  readonly #stride8: number;
  /** Slots of column 0 start at this 8-byte index of the memory. */
  readonly #slot0: number;
  /** Byte offset of the blob region in the memory. */
  readonly #blobs: number;
  readonly #options: ReaderOptions;
  #fallback: RowReader | undefined;
  /**
   * Whether the buffer holds this result alone (not an arena of many): nothing writes to it
   * again, and keeping it keeps no other result alive.
   */
  readonly ownsBuffer: boolean;
  /** `memo()`'s values: key, column, value, … */
  #memo: unknown[] | undefined;

  /**
   * A reader over the result at byte `base` of `memory` (a ResultMemory, or an ArrayBuffer
   * holding just this result).
   */
  constructor(
    memory: ResultMemory | ArrayBuffer,
    text: string,
    rows: number,
    columnCount: number,
    options: ReaderOptions,
    base = 0,
  ) {
    // By constructor rather than `instanceof` (see model/snapshot.ts): this runs per query.
    const owned = memory.constructor !== ResultMemory;
    const mem = owned ? new ResultMemory(memory as ArrayBuffer) : (memory as ResultMemory);
    this.ownsBuffer = owned;
    const tagBytes = (rows + 7) & ~7;
    this.#memory = mem;
    this.#tags = mem.u8;
    this.#f64 = mem.f64;
    this.#text = text;
    this.#rows = rows;
    this.#base = base;
    this.#stride = tagBytes + 8 * rows;
    this.#stride8 = this.#stride / 8;
    this.#slot0 = base / 8 + tagBytes / 8;
    this.#blobs = base + columnCount * this.#stride;
    this.#options = options;
  }

  /** The tag of a cell (see `Tag`). */
  tag(col: number, row: number): number {
    return this.#tags[this.#base + col * this.#stride + row] as number;
  }

  isNull(col: number, row: number): boolean {
    return this.#tags[this.#base + col * this.#stride + row] === Tag.NULL;
  }

  int(col: number, row: number): number {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.NUMBER) {
      const v = this.#f64[col * this.#stride8 + this.#slot0 + row] as number;
      // As a small integer where it is one: unoptimized code boxes a number read from the
      // Float64Array (16 bytes an instance keeps per int field until its decoder is optimized).
      // Zero keeps its sign.
      const small = v | 0;
      if (small === v && small !== 0) return small;
      if (Number.isInteger(v)) return v;
    }
    return this.#slow().int(col, row);
  }

  bigint(col: number, row: number): bigint {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.BIGINT)
      return this.#bigintAt(col, row);
    return this.#slow().bigint(col, row);
  }

  float(col: number, row: number): number {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.NUMBER) {
      return this.#f64[col * this.#stride8 + this.#slot0 + row] as number;
    }
    return this.#slow().float(col, row);
  }

  boolean(col: number, row: number): boolean {
    const t = this.#tags[this.#base + col * this.#stride + row];
    if (t === Tag.BOOL || t === Tag.NUMBER) {
      return this.#f64[col * this.#stride8 + this.#slot0 + row] !== 0;
    }
    return this.#slow().boolean(col, row);
  }

  text(col: number, row: number): string {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.TEXT)
      return this.#textAt(col, row);
    return this.#slow().text(col, row);
  }

  decimal(col: number, row: number): string {
    return this.text(col, row);
  }

  datetime(col: number, row: number): Date {
    const t = this.#tags[this.#base + col * this.#stride + row];
    if (t === Tag.TIMESTAMP) {
      // dateFromMillis written out: were it not inlined here, the time value would be boxed to
      // be passed to it, the very heap number it saves.
      const ms = this.#f64[col * this.#stride8 + this.#slot0 + row] as number;
      const hours = Math.trunc(ms / 3_600_000);
      const date = new Date(0);
      date.setUTCHours(hours, 0, 0, ms - hours * 3_600_000);
      return date;
    }
    // SQLite's stored text, parsed as the better-sqlite3 reader parses it (without building
    // the slow path's reader for it).
    if (t === Tag.TEXT && this.#options.dialect.cells.storageValues) {
      const i = 2 * (col * this.#stride8 + this.#slot0 + row);
      const u32 = this.#memory.u32;
      // The stored form is read in place, inside the result's text.
      if (u32[i + 1] === 24) {
        const ms = storedFormMillis(this.#text, u32[i] as number);
        if (ms === ms) return new Date(ms);
      }
      return parseSqliteDatetime(this.#textAt(col, row), col, row);
    }
    return this.#slow().datetime(col, row);
  }

  date(col: number, row: number): string {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.TEXT) {
      const text = this.#textAt(col, row);
      // Postgres' "infinity" and "… BC" are no "YYYY-MM-DD": the slow path says so.
      if (text.length === 10 || this.#options.dialect.cells.storageValues) return text;
    }
    return this.#slow().date(col, row);
  }

  time(col: number, row: number): string {
    return this.text(col, row);
  }

  uuid(col: number, row: number): string {
    return this.text(col, row);
  }

  json(col: number, row: number): unknown {
    return this.#slow().json(col, row);
  }

  binary(col: number, row: number): Uint8Array {
    if (this.#tags[this.#base + col * this.#stride + row] === Tag.BLOB)
      return this.#bytesAt(col, row);
    return this.#slow().binary(col, row);
  }

  value(col: number, row: number): unknown {
    const t = this.#tags[this.#base + col * this.#stride + row];
    if (t === Tag.NUMBER) return this.#f64[col * this.#stride8 + this.#slot0 + row];
    if (t === Tag.TEXT) return this.#textAt(col, row);
    if (t === Tag.NULL) return null;
    return this.#slow().value(col, row);
  }

  /**
   * The cell as the dialect's JavaScript driver would have handed it over: SQLite storage
   * values as better-sqlite3 returns them; Postgres values decoded as the `pg` driver's reader
   * decodes them (not its text form).
   */
  cell(col: number, row: number): unknown {
    switch (this.tag(col, row)) {
      case Tag.NULL:
        return null;
      case Tag.NUMBER:
        return this.#f64[col * this.#stride8 + this.#slot0 + row];
      case Tag.BIGINT: {
        const v = this.#bigintAt(col, row);
        return this.#options.dialect.cells.storageValues && !this.#options.bigints ? Number(v) : v;
      }
      case Tag.BOOL:
        return this.#options.dialect.cells.storageValues
          ? this.#f64[col * this.#stride8 + this.#slot0 + row]
          : this.#f64[col * this.#stride8 + this.#slot0 + row] !== 0;
      case Tag.TEXT:
        return this.#textAt(col, row);
      case Tag.BLOB:
        return this.#bytesAt(col, row);
      case Tag.TIMESTAMP:
        return dateFromMillis(this.#f64[col * this.#stride8 + this.#slot0 + row] as number);
      case Tag.JSON:
        return this.#textAt(col, row);
      default:
        throw new YaraError(
          `column ${col}, row ${row}: the native engine sent an unknown cell tag ${this.tag(col, row)}`,
        );
    }
  }

  #textAt(col: number, row: number): string {
    const i = 2 * (col * this.#stride8 + this.#slot0 + row);
    const u32 = this.#memory.u32;
    const start = u32[i] as number;
    return this.#text.slice(start, start + (u32[i + 1] as number));
  }

  #bigintAt(col: number, row: number): bigint {
    return this.#memory.i64[col * this.#stride8 + this.#slot0 + row] as bigint;
  }

  /** A copy, so a kept value does not hold the whole result buffer (or arena). */
  #bytesAt(col: number, row: number): Uint8Array {
    const i = 2 * (col * this.#stride8 + this.#slot0 + row);
    const u32 = this.#memory.u32;
    const start = this.#blobs + (u32[i] as number);
    return this.#tags.slice(start, start + (u32[i + 1] as number));
  }

  /**
   * The value `make` computes for `key` and `column`, once per reader: per-result state the
   * decoding of every row shares (snapshot.ts keeps the source its instances read their loaded
   * values from here, so it lives exactly as long as the result).
   */
  memo<T>(key: object, column: number, make: (reader: NativeRowReader, column: number) => T): T {
    const memo = (this.#memo ??= []);
    for (let k = 0; k < memo.length; k += 3) {
      if (memo[k] === key && memo[k + 1] === column) return memo[k + 2] as T;
    }
    const value = make(this, column);
    memo.push(key, column, value);
    return value;
  }

  #slow(): RowReader {
    return (this.#fallback ??= this.#options.dialect.cells.storageValues
      ? new NativeSqliteCells(this)
      : new NativePostgresCells(this, this.#options.bigints));
  }

  /** Rows in the result (for bounds in tests and `raw`). */
  get rows(): number {
    return this.#rows;
  }
}

/**
 * SQLite's slow paths: the better-sqlite3 reader's getters over cells read from the buffer, so
 * loose storage decodes — and fails — exactly as it does there.
 */
class NativeSqliteCells extends SqliteRowReader {
  constructor(private readonly native: NativeRowReader) {
    super([]);
  }

  /** BLOBs as Buffers, as better-sqlite3 hands them out (`json()` returns them as they are). */
  protected override cell(col: number, row: number): SqliteCell {
    const v = this.native.cell(col, row);
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return v instanceof Date ? v.getTime() : (v as SqliteCell);
  }

  /** better-sqlite3 hands out a BLOB read as text as its UTF-8 decoding (Buffer#toString). */
  override text(col: number, row: number): string {
    const v = this.cell(col, row);
    return v instanceof Uint8Array ? utf8.decode(v) : super.text(col, row);
  }
}

/**
 * Postgres' slow paths: cells the engine encoded by their column type (int8 beyond 2^53 as
 * BIGINT, timestamps as TIMESTAMP, json/jsonb as JSON, numeric and other types as TEXT).
 */
class NativePostgresCells implements RowReader {
  constructor(
    private readonly native: NativeRowReader,
    private readonly bigints: boolean,
  ) {}

  isNull(col: number, row: number): boolean {
    return this.native.isNull(col, row);
  }

  int(col: number, row: number): number {
    const n = Number(this.native.cell(col, row));
    if (n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER) {
      throw new YaraError(
        `column ${col}, row ${row}: the integer is beyond 2^53, where a number loses digits; read it as a bigint`,
      );
    }
    return n;
  }

  bigint(col: number, row: number): bigint {
    const v = this.native.cell(col, row);
    return typeof v === "bigint" ? v : BigInt(v as string | number);
  }

  float(col: number, row: number): number {
    return Number(this.native.cell(col, row));
  }

  boolean(col: number, row: number): boolean {
    const v = this.native.cell(col, row);
    return v === true || v === "t";
  }

  text(col: number, row: number): string {
    const v = this.native.cell(col, row);
    if (typeof v === "string") return v;
    if (v instanceof Date) return v.toISOString();
    return String(v);
  }

  decimal(col: number, row: number): string {
    return this.text(col, row);
  }

  datetime(col: number, row: number): Date {
    const v = this.native.cell(col, row);
    if (v instanceof Date) return v;
    // Infinite and BC timestamps arrive as Postgres' text; the pg driver's parser names them.
    if (typeof v === "string") return parsePgTimestamp(v);
    throw new YaraError(`column ${col}, row ${row}: the value is not a timestamp`);
  }

  /** As the pg driver's reader: `infinity` and BC dates are no "YYYY-MM-DD". */
  date(col: number, row: number): string {
    return pgDate(this.text(col, row), col, row);
  }

  time(col: number, row: number): string {
    return this.text(col, row);
  }

  uuid(col: number, row: number): string {
    return this.text(col, row);
  }

  json(col: number, row: number): unknown {
    return JSON.parse(this.text(col, row));
  }

  binary(col: number, row: number): Uint8Array {
    const v = this.native.cell(col, row);
    if (v instanceof Uint8Array) return v;
    throw new YaraError(`column ${col}, row ${row}: the value is not bytea`);
  }

  /** As the `pg` driver's reader: BIGINT cells as bigints, JSON parsed, the rest as encoded. */
  value(col: number, row: number): unknown {
    const t = this.native.tag(col, row);
    if (t === Tag.JSON) return JSON.parse(this.text(col, row));
    if (t === Tag.BIGINT) {
      const v = this.native.cell(col, row) as bigint;
      const safe = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER);
      return this.bigints || !safe ? v : Number(v);
    }
    return this.native.cell(col, row);
  }
}

/** A result set over an encoded result; `columns` as the addon reported them. */
export function nativeResult(
  encoded: EncodedResult,
  columns: readonly string[],
  options: ReaderOptions,
): Result {
  const [buffer, text, rows] = encoded;
  return {
    rowCount: rows,
    columns,
    reader: new NativeRowReader(buffer, text, rows, columns.length, options),
  };
}

/** A result with no rows (statements without columns), shared. */
export function emptyNativeResult(rowCount: number, options: ReaderOptions): Result {
  return {
    rowCount,
    columns: NO_COLUMNS,
    reader: new NativeRowReader(EMPTY_MEMORY, "", 0, 0, options),
  };
}

const NO_COLUMNS: readonly string[] = [];
