/**
 * `yara-gen migrations pull <url> --out <file>`: a live database → a schema file, formatted
 * with prettier when the project has it (pull runs once per database; the generator's own
 * output needs no formatter).
 */
import { writeFileSync } from "node:fs";
import { NotSupportedError, type Driver } from "yara-orm/internal";
import { readPostgres } from "./read-postgres.js";
import { readSqlite } from "./read-sqlite.js";
import { schemaSource } from "./write-schema.js";

/** The catalog reader of each database. */
const READERS = { postgres: readPostgres, sqlite: readSqlite } as const;

export async function pulledSchema(db: Driver, source: string): Promise<string> {
  const dialect = db.dialect;
  if (!dialect.supports.transactionalDdl)
    throw new NotSupportedError(
      `pull is not supported on ${dialect.title}: it serves migrations, which ${dialect.title} cannot run ` +
        "(every DDL statement commits on its own there)",
      dialect.name,
    );
  const tables = await READERS[dialect.name as keyof typeof READERS](db);
  const text = schemaSource(tables, source);
  return formatIfAvailable(text);
}

async function formatIfAvailable(text: string): Promise<string> {
  let prettier: typeof import("prettier");
  try {
    prettier = await import("prettier");
  } catch {
    return text;
  }
  return prettier.format(text, { parser: "typescript", printWidth: 100 });
}

export async function pullToFile(db: Driver, source: string, out: string): Promise<void> {
  writeFileSync(out, await pulledSchema(db, source));
}
