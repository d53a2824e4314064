/**
 * Bound parameters arrive encoded for Postgres (runtime/dialect/postgres.ts). node-postgres
 * sends text: bigints become decimal strings, bytes become Buffers (sent as binary bytea),
 * and arrays become one array literal (`= ANY($1)`), elements quoted so commas, quotes,
 * backslashes and NULL survive. Params of other types pass through untouched, and so does the
 * whole array when it holds nothing to convert.
 */
import type { Param } from "../driver.js";

export type PgWireParam = null | string | number | boolean | Buffer;

export function toPgParams(params: readonly Param[]): readonly PgWireParam[] {
  // Most statements bind only strings, numbers, booleans and nulls: pass the array through
  // (node-postgres copies values while serialising and never writes to the array).
  let i = 0;
  for (; i < params.length; i++) {
    const p = params[i];
    if (typeof p === "bigint" || (typeof p === "object" && p !== null)) break;
  }
  if (i === params.length) return params as readonly PgWireParam[];
  const out = new Array<PgWireParam>(params.length);
  for (let i = 0; i < params.length; i++) out[i] = toPgParam(params[i] as Param);
  return out;
}

function toPgParam(p: Param): PgWireParam {
  switch (typeof p) {
    case "string":
    case "number":
    case "boolean":
      return p;
    case "bigint":
      return p.toString();
    default:
      if (p === null) return null;
      if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
      return pgArrayLiteral(p);
  }
}

/** `["a", null, 'b"c']` → `{"a",NULL,"b\"c"}`; nested arrays become multi-dimensional. */
export function pgArrayLiteral(values: readonly Param[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i] as Param;
    if (v === null) out += "NULL";
    else if (typeof v === "string") out += quote(v);
    else if (typeof v === "number" || typeof v === "bigint") out += String(v);
    else if (typeof v === "boolean") out += v ? "t" : "f";
    else if (v instanceof Uint8Array)
      out += quote(`\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}`);
    else out += pgArrayLiteral(v);
  }
  return `${out}}`;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, "\\$&")}"`;
}
