/**
 * Watch mode re-emits only what an edit can change: after one model is edited, the files of
 * the models whose output depends on it are emitted and written again, no other, and the
 * directory then holds exactly what a cold generation of the edited schema holds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EmitCache } from "../../generator/emit.js";
import { generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";

const work = mkdtempSync(join(tmpdir(), "yara-watch-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A chain of models: each has a key to the one before it (reverse: `children`). */
function chain(count: number, extraOn?: number): string {
  const models: string[] = [];
  for (let i = 1; i <= count; i++) {
    const fields = [`name: fields.CharField({ maxLength: 40 }),`];
    if (i > 1)
      fields.push(`parent: fields.ForeignKeyField("M${i - 1}", { relatedName: "children" }),`);
    if (i === extraOn) fields.push(`extra: fields.IntField({ null: true }),`);
    models.push(`  M${i}: {\n    ${fields.join("\n    ")}\n  },`);
  }
  return `import { defineSchema, fields } from "yara-orm/schema";\n\nexport default defineSchema({\n${models.join("\n")}\n});\n`;
}

async function generated(schema: string, out: string, cache?: EmitCache) {
  const result = await generate(schema, out, cache ? { emitCache: cache } : {});
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.files;
}

const contents = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));

describe("incremental regeneration", () => {
  it("an edit of one model rewrites only the files depending on it, and equals a cold generation", async () => {
    const schema = join(work, "app.schema.ts");
    const out = join(work, "watched");
    writeFileSync(schema, chain(12));
    const cache = new EmitCache();
    await writeFiles(out, await generated(schema, out, cache));
    expect(cache.emitted).toHaveLength(12);

    // M6 gains a field: M6 changes, and so do the models that reach it within three hops.
    writeFileSync(schema, chain(12, 6));
    const before = contents(out);
    const written = await writeFiles(out, await generated(schema, out, cache));
    const changed = Object.keys(before).filter((f) => before[f] !== contents(out)[f]);
    expect([...cache.emitted].sort()).toEqual(["M3", "M4", "M5", "M6", "M7", "M8", "M9"]);
    expect(written.written).toEqual(changed.sort());
    expect(written.written).toContain("m6.js");
    expect(written.written).toContain("m6.d.ts");
    expect(written.written).not.toContain("m1.d.ts");
    expect(written.written).not.toContain("m12.d.ts");

    const cold = join(work, "cold");
    await writeFiles(cold, await generated(schema, cold));
    expect(contents(out)).toEqual(contents(cold));

    // Nothing edited: nothing emitted, nothing written.
    const again = await writeFiles(out, await generated(schema, out, cache));
    expect(cache.emitted).toEqual([]);
    expect(again.written).toEqual([]);
  });
});
