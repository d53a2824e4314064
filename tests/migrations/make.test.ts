/**
 * `yara-gen migrations make|check|sql` in process: files named and numbered, "no changes" when
 * the folder captures the schema, check failing with the changes named, renames only when asked
 * (otherwise a hint with the flag), bad flags and bad schemas refused.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migrationsMain } from "../../generator/migrations/cli.js";
import { schemaFile, workDir } from "./support/oracle.js";

const work = workDir("make");
afterAll(() => work.dispose());

const V1 = `Author: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 100 }) },
  Book: model({ id: fields.IntField({ pk: true }), title: fields.CharField({ maxLength: 200 }),
    author: fields.ForeignKeyField("Author", { onDelete: "CASCADE" }) }, { table: "books" }),`;

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
});
afterEach(() => vi.restoreAllMocks());

let n = 0;
function project(models: string): { schema: string; dir: string; write: (models: string) => void } {
  const root = join(work.dir, `p${++n}`);
  const schema = join(`${root}.schema.ts`);
  writeFileSync(schema, schemaFile(models));
  return {
    schema,
    dir: join(root, "migrations"),
    write: (m) => writeFileSync(schema, schemaFile(m)),
  };
}

describe("make and check", () => {
  it("writes 0001_initial, then reports no changes; a change makes 0002 and fails check until made", async () => {
    const p = project(V1);
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    expect(readdirSync(p.dir)).toEqual(["0001_initial.ts"]);
    const initial = readFileSync(join(p.dir, "0001_initial.ts"), "utf8");
    expect(initial).toContain(`import { createModel, migration } from "yara-orm/migrations";`);
    expect(initial).toContain("previous: null");
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
    expect(out).toEqual([expect.stringContaining("wrote"), "no changes", "no changes"]);
    expect(readdirSync(p.dir)).toEqual(["0001_initial.ts"]);

    p.write(
      V1.replace(
        `title: fields.CharField({ maxLength: 200 }),`,
        `title: fields.CharField({ maxLength: 200 }), slug: fields.CharField({ maxLength: 50, null: true }),`,
      ),
    );
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
    expect(err.join("\n")).toContain(
      `addField("Book", { name: "slug", column: "slug", kind: "char", nullable: true, maxLength: 50 })`,
    );
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    expect(readdirSync(p.dir)).toEqual(["0001_initial.ts", "0002_add_field_book_slug.ts"]);
    const second = readFileSync(join(p.dir, "0002_add_field_book_slug.ts"), "utf8");
    expect(second).toContain(`previous: "0001_initial"`);
    expect(second).toContain(`addField("Book", {`);
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
  });

  it("a UUID primary key's generated value is the runtime's: no DDL, no migration", async () => {
    const p = project(`Ticket: { id: fields.UUIDField({ pk: true }), title: fields.TextField() },`);
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    const initial = readFileSync(join(p.dir, "0001_initial.ts"), "utf8");
    expect(initial).toContain(`{ name: "id", column: "id", kind: "uuid", pk: true }`);
    expect(initial).not.toContain("defaultFactory");
    p.write(
      `Ticket: { id: fields.UUIDField({ pk: true, default: "0b9a6f0e-4a8e-4b43-9a55-6b6f8b8b9e11" }), title: fields.TextField() },`,
    );
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
    p.write(`Ticket: { id: fields.UUIDField({ pk: true }), title: fields.TextField() },`);
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
  });

  it("a rename is never guessed: without --rename it is a drop and an add, with a hint", async () => {
    const p = project(V1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(V1.replace("title:", "name:"));
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
    expect(err.join("\n")).toContain("if it is a rename, run again with --rename Book.title=name");
    expect(err.join("\n")).toContain(`removeField("Book", "title")`);
    expect(
      await migrationsMain([
        "make",
        p.schema,
        "--dir",
        p.dir,
        "--rename",
        "Book.title=name",
        "--name",
        "rename_title",
      ]),
    ).toBe(0);
    const file = readFileSync(join(p.dir, "0002_rename_title.ts"), "utf8");
    expect(file).toContain(`renameField("Book", "title", "name", { column: "name" })`);
    expect(file).not.toContain("removeField");
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
  });

  it("a model rename with --rename Old=New and its table", async () => {
    const p = project(V1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(V1.replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`));
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
    expect(err.join("\n")).toContain("if it is a rename, run again with --rename Book=Volume");
    expect(
      await migrationsMain(["make", p.schema, "--dir", p.dir, "--rename", "Book=Volume"]),
    ).toBe(0);
    const file = readFileSync(join(p.dir, "0002_rename_model_and_more.ts"), "utf8");
    expect(file).toContain(`renameModel("Book", "Volume")`);
    expect(file).toContain(`alterModelTable("Volume", "volumes")`);
  });

  it("a model rename renames its many-to-many join table in place, never drop and create", async () => {
    const tag = `Tag: { id: fields.IntField({ pk: true }) },`;
    const tags = `tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`;
    const v1 = V1.replace(`title: fields.CharField({ maxLength: 200 }),`, `$& ${tags}`) + tag;
    const p = project(v1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(v1.replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`));
    const flags = ["--rename", "Book=Volume"];
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir, ...flags])).toBe(0);
    const second = readdirSync(p.dir).find((f) => f.startsWith("0002_"))!;
    const file = readFileSync(join(p.dir, second), "utf8");
    expect(file).toContain(`renameModel("Book", "Volume")`);
    expect(file).toMatch(
      /renameJoinTable\(\{\s*model: "Volume",\s*relation: "tags",\s*table: "volumes_tag",\s*sourceColumn: "volume_id",\s*targetColumn: "tag_id",?\s*\}\)/,
    );
    expect(file).not.toMatch(/dropJoinTable|createJoinTable/);
    out = [];
    expect(await migrationsMain(["sql", "0002", "--dir", p.dir, "--dialect", "postgres"])).toBe(0);
    const up = out.join("\n");
    expect(up).toContain(`ALTER TABLE "books_tag" RENAME TO "volumes_tag";`);
    expect(up).toContain(`ALTER TABLE "volumes_tag" RENAME COLUMN "book_id" TO "volume_id";`);
    expect(up).toContain(`ALTER INDEX "books_tag_tag_id_idx" RENAME TO "volumes_tag_tag_id_idx";`);
    expect(up).not.toContain("DROP TABLE");
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);

    // Renaming the relation itself keeps the table: no SQL at all.
    p.write(
      v1
        .replace("Book:", "Volume:")
        .replace(`table: "books"`, `table: "volumes"`)
        .replace("tags:", "labels:"),
    );
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
    expect(err.join("\n")).toContain(
      "if it is a rename, run again with --rename Volume.tags=labels",
    );
    const relation = ["--rename", "Volume.tags=labels"];
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir, ...relation])).toBe(0);
    const third = readdirSync(p.dir).find((f) => f.startsWith("0003_"))!;
    const renamed = readFileSync(join(p.dir, third), "utf8");
    expect(renamed).toMatch(
      /renameJoinTable\(\{\s*model: "Volume",\s*relation: "tags",\s*to: "labels",/,
    );
    expect(renamed).not.toMatch(/dropJoinTable|createJoinTable/);
    out = [];
    expect(await migrationsMain(["sql", "0003", "--dir", p.dir, "--dialect", "sqlite"])).toBe(0);
    expect(out.join("\n").trim()).toBe("");
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
  });

  it("a many-to-many relation renamed with its model without --rename gets the flag as a hint", async () => {
    const tags = `tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`;
    const v1 =
      V1.replace(`title: fields.CharField({ maxLength: 200 }),`, `$& ${tags}`) +
      `Tag: { id: fields.IntField({ pk: true }) },`;
    const p = project(v1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(v1.replace("Book:", "Volume:").replace("tags:", "labels:"));
    const flags = ["--rename", "Book=Volume"];
    expect(await migrationsMain(["check", p.schema, "--dir", p.dir, ...flags])).toBe(1);
    expect(err.join("\n")).toContain(
      "Volume.tags is dropped and Volume.labels added (the join table's rows are not carried over); " +
        "if it is a rename, run again with --rename Volume.tags=labels",
    );
  });

  it("a many-to-many rename to something that is not one is refused", async () => {
    const tags = `tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`;
    const v1 =
      V1.replace(`title: fields.CharField({ maxLength: 200 }),`, `$& ${tags}`) +
      `Tag: { id: fields.IntField({ pk: true }) }, Label: { id: fields.IntField({ pk: true }) },`;
    const p = project(v1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(
      v1.replace(`tags: fields.ManyToManyField("Tag"`, `labels: fields.ManyToManyField("Label"`),
    );
    const flags = ["--rename", "Book.tags=labels"];
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir, ...flags])).toBe(1);
    expect(err.join("\n")).toContain(
      "--rename Book.tags=labels: Book.tags points at Tag but Book.labels at Label; a rename keeps the target",
    );
    p.write(v1.replace("tags:", "title2: fields.TextField(), x:"));
    const missing = ["--rename", "Book.tags=title2"];
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir, ...missing])).toBe(1);
    expect(err.join("\n")).toContain(
      "--rename Book.tags=title2: the schema has no many-to-many relation Book.title2",
    );
    expect(readdirSync(p.dir)).toEqual(["0001_initial.ts"]);
  });

  it("a column made NOT NULL without a default gets a note to add { fill: … }; with a default, none", async () => {
    const note = (options: string) =>
      V1.replace(
        `title: fields.CharField({ maxLength: 200 }),`,
        `$& note: fields.CharField({ maxLength: 20, ${options} }),`,
      );
    const notes = () => err.filter((line) => line.startsWith("note:"));
    const p = project(note("null: true"));
    await migrationsMain(["make", p.schema, "--dir", p.dir]);

    p.write(note(`default: "dflt"`));
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    const withDefault = readdirSync(p.dir).find((f) => f.startsWith("0002_"))!;
    expect(readFileSync(join(p.dir, withDefault), "utf8")).toContain(`default: "dflt"`);
    expect(notes()).toEqual([]);

    p.write(note(`null: true`));
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    p.write(note(""));
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    expect(notes()).toEqual([
      "note: Book.note becomes NOT NULL without a default: rows of books holding NULL need a value; " +
        "add { fill: … } to its alterField in the new file before applying it to a database with such rows",
    ]);
    const fourth = readdirSync(p.dir).find((f) => f.startsWith("0004_"))!;
    expect(readFileSync(join(p.dir, fourth), "utf8")).toContain(
      "NOTE: Book.note becomes NOT NULL without a default",
    );

    err = [];
    p.write(V1);
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
    expect(notes()).toEqual([
      "note: Book.note is NOT NULL without a default: reverting its removal on a table with rows " +
        "needs a value for them; add { fill: … } to its removeField in the new file before applying it " +
        "(an applied file cannot be edited)",
    ]);
  });

  it("bad flags, unknown renames and bad schemas are refused", async () => {
    const p = project(V1);
    expect(await migrationsMain(["make", p.schema])).toBe(2);
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir, "--rename", "Book.title"])).toBe(
      2,
    );
    expect(await migrationsMain(["sql", "0001", "--dir", p.dir])).toBe(2);
    expect(await migrationsMain(["frobnicate", "--dir", p.dir])).toBe(2);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    expect(
      await migrationsMain(["make", p.schema, "--dir", p.dir, "--rename", "Book.nope=title"]),
    ).toBe(1);
    expect(err.join("\n")).toContain(
      "--rename Book.nope=title: the migrations have no field Book.nope",
    );
    p.write(`Book: { title: fields.CharField({}) },`);
    expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(1);
    expect(existsSync(join(p.dir, "0002_initial.ts"))).toBe(false);
    expect(readdirSync(p.dir)).toEqual(["0001_initial.ts"]);
  });

  it("sql prints a migration's statements for a dialect, up and down", async () => {
    const p = project(V1);
    await migrationsMain(["make", p.schema, "--dir", p.dir]);
    out = [];
    expect(
      await migrationsMain([
        "sql",
        "0001_initial",
        "--dir",
        p.dir,
        "--dialect",
        "postgres",
        "--down",
      ]),
    ).toBe(0);
    expect(out.join("\n")).toBe(`DROP TABLE "books";\nDROP TABLE "author";`);
    expect(await migrationsMain(["sql", "0009", "--dir", p.dir, "--dialect", "sqlite"])).toBe(1);
    expect(err.join("\n")).toContain('unknown migration target "0009"');
  });
});
