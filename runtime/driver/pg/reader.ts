/**
 * Reads node-postgres results fetched with `rowMode: "array"` and every type parser disabled:
 * each cell is Postgres' text output (or null), converted once, by the getter the generated
 * decoder calls for the field's kind.
 */
import type { FieldDef } from "pg";
import type { Result, RowReader } from "../driver.js";
import { YaraError } from "../../errors.js";
import { parsePgTimestamp, pgDate } from "./timestamp.js";

export type PgCell = string | null;

/** Type OIDs `value()` decodes; everything else stays text. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class PgRowReader implements RowReader {
  constructor(
    private readonly rows: readonly (readonly PgCell[])[],
    private readonly fields: readonly FieldDef[],
    /** `QueryOptions.bigints`: `value()` returns every int8 as a bigint. */
    private readonly bigints: boolean,
  ) {}

  /** No bounds check: generated decoders read the columns they selected. */
  private cell(col: number, row: number): string {
    return (this.rows[row] as readonly PgCell[])[col] as string;
  }

  isNull(col: number, row: number): boolean {
    return (this.rows[row] as readonly PgCell[])[col] === null;
  }

  int(col: number, row: number): number {
    const n = Number(this.cell(col, row));
    if (n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER) throw unsafeInt(col, row);
    return n;
  }

  bigint(col: number, row: number): bigint {
    return BigInt(this.cell(col, row));
  }

  /** Number() reads "NaN", "Infinity" and "-Infinity" as Postgres writes them. */
  float(col: number, row: number): number {
    return Number(this.cell(col, row));
  }

  boolean(col: number, row: number): boolean {
    return this.cell(col, row) === "t";
  }

  text(col: number, row: number): string {
    return this.cell(col, row);
  }

  decimal(col: number, row: number): string {
    return this.cell(col, row);
  }

  datetime(col: number, row: number): Date {
    return parsePgTimestamp(this.cell(col, row));
  }

  /** Postgres writes `infinity`, `-infinity` and `0044-03-15 BC`, which are no "YYYY-MM-DD". */
  date(col: number, row: number): string {
    return pgDate(this.cell(col, row), col, row);
  }

  time(col: number, row: number): string {
    return this.cell(col, row);
  }

  uuid(col: number, row: number): string {
    return this.cell(col, row);
  }

  json(col: number, row: number): unknown {
    return JSON.parse(this.cell(col, row));
  }

  binary(col: number, row: number): Uint8Array {
    return decodeBytea(this.cell(col, row));
  }

  /** Best effort by the column's type: numbers, booleans, Dates, parsed JSON, bytes; else text. */
  value(col: number, row: number): unknown {
    const text = (this.rows[row] as readonly PgCell[])[col] as PgCell;
    if (text === null) return null;
    switch (this.fields[col]?.dataTypeID) {
      case OID.int2:
      case OID.int4:
      case OID.oid:
      case OID.float4:
      case OID.float8:
        return Number(text);
      case OID.int8: {
        const n = BigInt(text);
        return this.bigints || n > MAX_SAFE || n < -MAX_SAFE ? n : Number(n);
      }
      case OID.bool:
        return text === "t";
      case OID.timestamp:
      case OID.timestamptz:
        return parsePgTimestamp(text);
      case OID.json:
      case OID.jsonb:
        return JSON.parse(text);
      case OID.bytea:
        return decodeBytea(text);
      default:
        return text; // numeric, text, varchar, uuid, date, time, arrays, …
    }
  }
}

function unsafeInt(col: number, row: number): YaraError {
  return new YaraError(
    `column ${col}, row ${row}: the integer is beyond 2^53, where a number loses digits; read it as a bigint`,
  );
}

/** A query's result; the column names are only built if someone reads them (`raw`). */
export class PgResult implements Result {
  readonly rowCount: number;
  readonly reader: PgRowReader;
  #columns: readonly string[] | undefined;

  constructor(
    rows: readonly (readonly PgCell[])[],
    private readonly fields: readonly FieldDef[],
    bigints: boolean,
  ) {
    this.rowCount = rows.length;
    this.reader = new PgRowReader(rows, fields, bigints);
  }

  get columns(): readonly string[] {
    return (this.#columns ??= this.fields.map((f) => f.name));
  }
}

/** `\x0a1b…` (bytea_output = hex) → bytes, decoded straight into a fresh Uint8Array. */
function decodeBytea(text: string): Uint8Array {
  if (text.charCodeAt(0) !== 92 /* \ */ || text.charCodeAt(1) !== 120 /* x */) {
    throw new YaraError("cannot read a bytea value that is not in hex format (bytea_output = hex)");
  }
  const bytes = new Uint8Array((text.length - 2) >>> 1);
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(text.slice(2), "hex");
  return bytes;
}
