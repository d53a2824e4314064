/**
 * Migrations of a many-to-many relation through a model: the join rows live in the through
 * model's own table, so make writes that model like any other and never an auto join table
 * beside it; turning an auto join table into a through model drops the one and creates the other.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, expect, it, vi } from "vitest";
import { migrationsMain } from "../../generator/migrations/cli.js";
import { schemaFile, workDir } from "./support/oracle.js";

const work = workDir("through-model");
afterAll(() => work.dispose());

let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const TAG = `Tag: { id: fields.IntField({ pk: true }), name: fields.TextField() },`;
const AUTO = `Book: { id: fields.IntField({ pk: true }), tags: fields.ManyToManyField("Tag") },
  ${TAG}`;
const THROUGH = `Book: {
    id: fields.IntField({ pk: true }),
    tags: fields.ManyToManyField("Tag", { through: "Labelling" }),
  },
  ${TAG}
  Labelling: model(
    { book: fields.ForeignKeyField("Book"), tag: fields.ForeignKeyField("Tag"), note: fields.TextField({ null: true }) },
    { uniqueTogether: [["book", "tag"]] },
  ),`;

function project(name: string, models: string) {
  const root = join(work.dir, name);
  const schema = `${root}.schema.ts`;
  writeFileSync(schema, schemaFile(models));
  return {
    schema,
    dir: join(root, "migrations"),
    write: (m: string) => writeFileSync(schema, schemaFile(m)),
  };
}

const fileOf = (dir: string, prefix: string) =>
  readFileSync(
    join(
      dir,
      readdirSync(dir).find((f) => f.startsWith(prefix))!,
    ),
    "utf8",
  );

it("make creates the through model's table and no auto join table; check finds nothing left", async () => {
  const p = project("fresh", THROUGH);
  expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
  const initial = fileOf(p.dir, "0001_");
  expect(initial).toMatch(/createModel\(\{\s*name: "Labelling"/);
  expect(initial).not.toMatch(/JoinTable/);
  expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
  out = [];
  expect(await migrationsMain(["sql", "0001", "--dir", p.dir, "--dialect", "postgres"])).toBe(0);
  const sql = out.join("\n");
  expect(sql.match(/CREATE TABLE/g)).toHaveLength(3);
  expect(sql).toContain(`CREATE TABLE "labelling"`);
  expect(sql).toMatch(/CONSTRAINT "labelling_book_id_tag_id_key" UNIQUE \("book_id", "tag_id"\)/);
  expect(sql).not.toContain("book_tag");
});

it("an auto join table turned into a through model: the one dropped, the other created", async () => {
  const p = project("switch", AUTO);
  await migrationsMain(["make", p.schema, "--dir", p.dir]);
  expect(fileOf(p.dir, "0001_")).toMatch(/createJoinTable/);
  p.write(THROUGH);
  expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(1);
  expect(await migrationsMain(["make", p.schema, "--dir", p.dir])).toBe(0);
  const second = fileOf(p.dir, "0002_");
  expect(second).toContain(`dropJoinTable("Book", "tags")`);
  expect(second).toMatch(/createModel\(\{\s*name: "Labelling"/);
  expect(second).not.toMatch(/createJoinTable/);
  expect(await migrationsMain(["check", p.schema, "--dir", p.dir])).toBe(0);
});
