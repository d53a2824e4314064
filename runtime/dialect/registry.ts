/**
 * Every database yara speaks, by name: one line per dialect folder. Adding a database adds its
 * folder (runtime/dialect/<name>/), its driver, its name to `DialectName` and one line here.
 */
import type { Dialect, DialectName } from "./dialect.js";
import { mysql } from "./mysql/index.js";
import { postgres } from "./postgres/index.js";
import { sqlite } from "./sqlite/index.js";

const DIALECTS: { readonly [N in DialectName]: Dialect } = {
  postgres,
  sqlite,
  mysql,
};

/** The dialect named `name`. */
export function dialectNamed(name: DialectName): Dialect {
  return DIALECTS[name];
}

/** Every dialect, in registration order. */
export const dialects: readonly Dialect[] = Object.values(DIALECTS);
