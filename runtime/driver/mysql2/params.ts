/**
 * Runtime parameters → what mysql2 binds: booleans as 0 / 1 (MariaDB's BOOLEAN is TINYINT),
 * bigints as their exact decimal text (MariaDB converts it for the column), bytes as a Buffer.
 * Lists never reach the driver: the MySQL compiler binds each element of an IN list.
 */
import type { Param } from "../driver.js";
import { YaraError } from "../../errors.js";

export type MysqlWireParam = string | number | Buffer | null;

export function toMysqlParams(params: readonly Param[]): MysqlWireParam[] {
  return params.map(toMysqlParam);
}

function toMysqlParam(value: Param): MysqlWireParam {
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new YaraError("MySQL binds no list parameters; bind each element (IN (?, ?, …))");
}
