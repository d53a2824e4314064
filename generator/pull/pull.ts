/** `yara-gen migrations pull <url> --out <file>`: a live database → a formatted schema file. */
import { writeFileSync } from "node:fs";
import type { Driver } from "yara-orm/internal";
import { formatFiles } from "../format.js";
import { readPostgres } from "./read-postgres.js";
import { readSqlite } from "./read-sqlite.js";
import { schemaSource } from "./write-schema.js";

export async function pulledSchema(db: Driver, source: string): Promise<string> {
  const tables = db.dialect === "postgres" ? await readPostgres(db) : await readSqlite(db);
  const text = schemaSource(tables, source);
  return (await formatFiles(new Map([["schema.ts", text]]))).get("schema.ts") ?? text;
}

export async function pullToFile(db: Driver, source: string, out: string): Promise<void> {
  writeFileSync(out, await pulledSchema(db, source));
}
