/**
 * The mysql2 pool every MariaDB library runs on (raw mysql2, Drizzle, Kysely): POOL_MAX
 * connections, DATETIME read and written as UTC (`timezone: "Z"`, as yara stores it), decimals
 * left as exact strings (mysql2's default). Each library maps 0/1 to booleans itself.
 */
import mysql from "mysql2";
import { POOL_MAX, MYSQL_URL } from "../runtime/targets.js";

export const MYSQL2_POOL_OPTIONS = {
  uri: MYSQL_URL,
  connectionLimit: POOL_MAX,
  timezone: "Z",
} as const;

/** A callback pool (Kysely's MysqlDialect wants one); `.promise()` gives the promise API. */
export function mysql2Pool(): mysql.Pool {
  return mysql.createPool(MYSQL2_POOL_OPTIONS);
}
