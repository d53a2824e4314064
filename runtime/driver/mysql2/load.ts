/**
 * mysql2 is an optional peer dependency, imported only when a MySQL/MariaDB database is opened,
 * so Postgres and SQLite users never need it. A missing package is a ConfigurationError saying
 * what to install.
 */
import { ConfigurationError } from "../../errors.js";

type DriverModule = typeof import("./driver.js");

export async function loadMysql2Driver(): Promise<DriverModule> {
  try {
    return await import("./driver.js");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new ConfigurationError(
        "MySQL/MariaDB needs the mysql2 package (the only driver for it; the native engine speaks SQLite and Postgres): run `npm install mysql2`",
        { cause: err },
      );
    }
    throw err;
  }
}
