/**
 * Table and column names longer than a database keeps: Postgres truncates identifiers past 63
 * bytes without a word (two long names can then become one), MySQL refuses names past 64
 * characters. Checked before any DDL is sent, so the schema problem is named up front instead of
 * surfacing later as a missing column or a duplicate-name error. Constraint and index names are
 * shortened with a hash instead (constraint-name.ts): yara makes those, the user names these.
 */
import type { Dialect } from "./dialect.js";
import { ConfigurationError } from "../errors.js";

/**
 * Throws a ConfigurationError naming `identifier` when `dialect` cannot keep it whole. `what`
 * says where it comes from: `table of model Book`, `column of Book.title`.
 */
export function checkIdentifierLength(identifier: string, what: string, dialect: Dialect): void {
  const limit = dialect.maxIdentifierLength;
  if (identifier.length <= limit && utf8Length(identifier) <= limit) return;
  const length = utf8Length(identifier);
  throw new ConfigurationError(
    `the ${what}, "${identifier}", is ${length} bytes long; ${dialect.title} keeps identifiers of ` +
      `at most ${limit}: give it a shorter name (the model's \`table\` or the field's \`column\` option)`,
  );
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
