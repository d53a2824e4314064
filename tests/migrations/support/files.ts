/** Hand-written migration files for the executor tests. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const AUTHOR_MODEL = `createModel({
  name: "Author",
  table: "author",
  pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    { name: "name", column: "name", kind: "char", maxLength: 100 },
  ],
})`;

/** Writes `dir/<name>.ts` importing every builder, with `previous` and the operations given. */
export function writeMigration(
  dir: string,
  name: string,
  previous: string | null,
  operations: string,
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  writeFileSync(
    file,
    `import * as m from "yara-orm/migrations";\nconst { ${BUILDERS} } = m;\n` +
      `export default migration({ previous: ${JSON.stringify(previous)}, operations: [${operations}] });\n`,
  );
  return file;
}

const BUILDERS =
  "migration, createModel, deleteModel, renameModel, alterModelTable, addField, removeField, alterField, " +
  "renameField, addIndex, removeIndex, createJoinTable, dropJoinTable, renameJoinTable, runSql, runCode";
