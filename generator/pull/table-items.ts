/**
 * The top-level items of a CREATE TABLE body — its column definitions and table constraints —
 * split at the commas outside parentheses and quotes, whitespace collapsed. `pull` reads
 * SQLite's CHECKs and AUTOINCREMENT from them; the tests compare tables by them.
 */
export function tableItems(sql: string): string[] {
  const body = sql.slice(sql.indexOf("(") + 1, sql.lastIndexOf(")"));
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (const ch of body) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      items.push(current.trim().replace(/\s+/g, " "));
      current = "";
      continue;
    }
    current += ch;
  }
  items.push(current.trim().replace(/\s+/g, " "));
  return items;
}
