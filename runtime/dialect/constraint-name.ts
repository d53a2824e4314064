/**
 * The names yara gives constraints and indexes, the same on both databases so that
 * `IntegrityError.constraint` does not depend on the dialect: `books_title_author_id_key`
 * (unique), `_check`, `_fkey`, `_idx`, and `books_pkey` for a primary key (Postgres' own
 * convention, given no columns). Names longer than Postgres' 63-character limit
 * are shortened with a hash so they stay unique instead of being truncated silently.
 */
import { createHash } from "node:crypto";

const MAX_IDENTIFIER = 63;

export function constraintIdentifier(
  table: string,
  columns: readonly string[],
  suffix: string,
): string {
  const name =
    columns.length === 0 ? `${table}_${suffix}` : `${table}_${columns.join("_")}_${suffix}`;
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash("sha1").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - suffix.length - 2)}_${hash}_${suffix}`;
}
