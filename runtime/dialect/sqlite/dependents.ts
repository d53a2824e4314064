/**
 * The part of SQLite's rebuild procedure that depends on what is in the database rather than in
 * the schema state: the table's triggers disappear with DROP TABLE, and views naming it would
 * break the rename, so the views and the table's triggers are read and the views dropped before
 * the old table goes, and all are created again from their saved SQL once the new table has
 * its name. Two steps that run on the migration's transaction; `sql` prints their description.
 */
import type { CodeStep } from "../../migrations/operation.js";

export type DescribedStep = CodeStep & { readonly description: string };

function described(step: CodeStep, description: string): DescribedStep {
  return Object.assign(step, { description });
}

export function keepViewsAndTriggers(table: string): {
  save: DescribedStep;
  restore: DescribedStep;
} {
  let saved: { type: string; name: string; sql: string }[] = [];
  const save = described(async (db) => {
    const rows = await db.query(
      "SELECT type, name, sql FROM sqlite_master WHERE ((type = 'trigger' AND tbl_name = ?) OR type = 'view') AND sql IS NOT NULL ORDER BY type DESC, rowid",
      [table],
    );
    saved = rows.map((r) => ({ type: String(r.type), name: String(r.name), sql: String(r.sql) }));
    for (const v of saved.filter((s) => s.type === "view"))
      await db.execute(`DROP VIEW "${v.name.replace(/"/g, '""')}"`);
  }, `-- save the views, and the triggers of "${table}", and drop the views (they are created again below)`);
  const restore = described(async (db) => {
    for (const s of saved) await db.execute(s.sql);
  }, `-- create the saved views and the triggers of "${table}" again`);
  return { save, restore };
}
