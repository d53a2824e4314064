/**
 * Generated schemas of N models for the generator and type-check measurements, written three
 * ways — yara's schema file, a Prisma schema and a Drizzle schema of the same tables — plus a
 * usage file per library that queries a few models through relations, so type-checking it
 * pulls in the whole client.
 *
 * Model i (Entity001 …) has seven fields of common kinds, a foreign key `parent` to model i-1
 * (reverse: `children`) and a nullable one `owner` to model i-2 (reverse: `grandchildren`).
 */

const pad = (i: number) => String(i).padStart(3, "0");
const modelName = (i: number) => `Entity${pad(i)}`;
const tableName = (i: number) => `entity${pad(i)}`;
const accessor = (i: number) => `entity${pad(i)}`;

/** The models the usage files touch: first with relations, middle, last. */
export function usedModels(count: number): number[] {
  return [...new Set([Math.min(3, count), Math.ceil(count / 2), count])].filter((i) => i >= 3);
}

/** A model whose fields the watch measurement edits (one field added or removed). */
export function editedModel(count: number): string {
  return modelName(Math.ceil(count / 2));
}

export function yaraSchema(count: number): string {
  const models: string[] = [];
  for (let i = 1; i <= count; i++) {
    const relations: string[] = [];
    if (i >= 2)
      relations.push(
        `      parent: fields.ForeignKeyField("${modelName(i - 1)}", { relatedName: "children" }),`,
      );
    if (i >= 3)
      relations.push(
        `      owner: fields.ForeignKeyField("${modelName(i - 2)}", { relatedName: "grandchildren", null: true, onDelete: "SET NULL" }),`,
      );
    models.push(
      [
        `  ${modelName(i)}: model(`,
        "    {",
        "      name: fields.CharField({ maxLength: 100, index: true }),",
        "      code: fields.CharField({ maxLength: 20, unique: true }),",
        "      amount: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),",
        "      active: fields.BooleanField({ default: false }),",
        "      score: fields.FloatField({ null: true }),",
        "      createdAt: fields.DatetimeField({ autoNowAdd: true }),",
        "      notes: fields.TextField({ null: true }),",
        ...relations,
        "    },",
        `    { table: "${tableName(i)}" },`,
        "  ),",
      ].join("\n"),
    );
  }
  return [
    `// ${count} generated models for the generator benchmark (bench/codegen/fixtures.ts).`,
    'import { defineSchema, model, fields } from "yara-orm/schema";',
    "",
    "export default defineSchema({",
    ...models,
    "});",
    "",
  ].join("\n");
}

export function prismaSchema(count: number): string {
  const models: string[] = [];
  for (let i = 1; i <= count; i++) {
    const lines = [
      `model ${modelName(i)} {`,
      "  id        Int      @id @default(autoincrement())",
      "  name      String   @db.VarChar(100)",
      "  code      String   @unique @db.VarChar(20)",
      "  amount    Decimal? @db.Decimal(10, 2)",
      "  active    Boolean  @default(false)",
      "  score     Float?",
      '  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)',
      "  notes     String?",
    ];
    if (i >= 2) {
      lines.push(
        `  parent    ${modelName(i - 1)} @relation("${modelName(i)}Parent", fields: [parentId], references: [id], onDelete: Cascade)`,
        '  parentId  Int @map("parent_id")',
      );
    }
    if (i >= 3) {
      lines.push(
        `  owner     ${modelName(i - 2)}? @relation("${modelName(i)}Owner", fields: [ownerId], references: [id], onDelete: SetNull)`,
        '  ownerId   Int? @map("owner_id")',
      );
    }
    if (i + 1 <= count)
      lines.push(`  children  ${modelName(i + 1)}[] @relation("${modelName(i + 1)}Parent")`);
    if (i + 2 <= count)
      lines.push(`  grandchildren ${modelName(i + 2)}[] @relation("${modelName(i + 2)}Owner")`);
    lines.push("", "  @@index([name])", `  @@map("${tableName(i)}")`, "}");
    models.push(lines.join("\n"));
  }
  return [
    `// ${count} generated models for the generator benchmark (bench/codegen/fixtures.ts).`,
    "generator client {",
    '  provider = "prisma-client"',
    '  output   = "./prisma"',
    "}",
    "",
    "datasource db {",
    '  provider = "postgresql"',
    "}",
    "",
    models.join("\n\n"),
    "",
  ].join("\n");
}

export function drizzleSchema(count: number): string {
  const out = [
    `// ${count} generated models for the generator benchmark (bench/codegen/fixtures.ts).`,
    'import { relations } from "drizzle-orm";',
    'import { boolean, doublePrecision, index, integer, numeric, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";',
    "",
  ];
  for (let i = 1; i <= count; i++) {
    const t = accessor(i);
    out.push(
      `export const ${t} = pgTable("${tableName(i)}", {`,
      '  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),',
      '  name: varchar("name", { length: 100 }).notNull(),',
      '  code: varchar("code", { length: 20 }).notNull().unique(),',
      '  amount: numeric("amount", { precision: 10, scale: 2 }),',
      '  active: boolean("active").notNull().default(false),',
      '  score: doublePrecision("score"),',
      '  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),',
      '  notes: text("notes"),',
    );
    if (i >= 2)
      out.push(
        `  parentId: integer("parent_id").notNull().references(() => ${accessor(i - 1)}.id, { onDelete: "cascade" }),`,
      );
    if (i >= 3)
      out.push(
        `  ownerId: integer("owner_id").references(() => ${accessor(i - 2)}.id, { onDelete: "set null" }),`,
      );
    out.push(`}, (t) => [index("${tableName(i)}_name_idx").on(t.name)]);`, "");
    const rel: string[] = [];
    if (i >= 2)
      rel.push(
        `  parent: one(${accessor(i - 1)}, { fields: [${t}.parentId], references: [${accessor(i - 1)}.id], relationName: "${modelName(i)}Parent" }),`,
      );
    if (i >= 3)
      rel.push(
        `  owner: one(${accessor(i - 2)}, { fields: [${t}.ownerId], references: [${accessor(i - 2)}.id], relationName: "${modelName(i)}Owner" }),`,
      );
    if (i + 1 <= count)
      rel.push(
        `  children: many(${accessor(i + 1)}, { relationName: "${modelName(i + 1)}Parent" }),`,
      );
    if (i + 2 <= count)
      rel.push(
        `  grandchildren: many(${accessor(i + 2)}, { relationName: "${modelName(i + 2)}Owner" }),`,
      );
    out.push(
      `export const ${t}Relations = relations(${t}, ({ one, many }) => ({`,
      ...rel,
      "}));",
      "",
    );
  }
  return out.join("\n");
}

export function yaraUsage(count: number): string {
  const used = usedModels(count);
  const body = used.flatMap((i) => [
    `  const rows${i} = await ${modelName(i)}.filter({ parent__name: "x", active: true, owner__code__startswith: "c" }).orderBy("-id").limit(10);`,
    `  const made${i} = await ${modelName(i)}.create({ name: "n", code: "c${i}", parentId: 1, amount: "1.50" });`,
    `  const names${i} = await ${modelName(i - 1)}.filter({ children__name__icontains: "a" }).values("name", "code");`,
    `  out.push(rows${i}[0]?.name, made${i}.id, made${i}.createdAt.getTime(), names${i}[0]?.code);`,
  ]);
  return [
    `import { ${[...new Set(used.flatMap((i) => [modelName(i), modelName(i - 1)]))].join(", ")} } from "./yara/index.js";`,
    "",
    "export async function use(): Promise<unknown[]> {",
    "  const out: unknown[] = [];",
    ...body,
    "  return out;",
    "}",
    "",
  ].join("\n");
}

export function prismaUsage(count: number): string {
  const used = usedModels(count);
  const body = used.flatMap((i) => [
    `  const rows${i} = await prisma.${accessor(i)}.findMany({ where: { parent: { name: "x" }, active: true, owner: { code: { startsWith: "c" } } }, orderBy: { id: "desc" }, take: 10 });`,
    `  const made${i} = await prisma.${accessor(i)}.create({ data: { name: "n", code: "c${i}", parentId: 1, amount: "1.50" } });`,
    `  const names${i} = await prisma.${accessor(i - 1)}.findMany({ where: { children: { some: { name: { contains: "a", mode: "insensitive" } } } }, select: { name: true, code: true } });`,
    `  out.push(rows${i}[0]?.name, made${i}.id, made${i}.createdAt.getTime(), names${i}[0]?.code);`,
  ]);
  return [
    'import type { PrismaClient } from "./prisma/client.js";',
    "",
    "export async function use(prisma: PrismaClient): Promise<unknown[]> {",
    "  const out: unknown[] = [];",
    ...body,
    "  return out;",
    "}",
    "",
  ].join("\n");
}

export function drizzleUsage(count: number): string {
  const used = usedModels(count);
  const body = used.flatMap((i) => {
    const t = `schema.${accessor(i)}`;
    const p = `schema.${accessor(i - 1)}`;
    return [
      `  const rows${i} = await db.query.${accessor(i)}.findMany({ where: eq(${t}.active, true), with: { parent: true, owner: true }, orderBy: desc(${t}.id), limit: 10 });`,
      `  const [made${i}] = await db.insert(${t}).values({ name: "n", code: "c${i}", parentId: 1, amount: "1.50" }).returning();`,
      `  const names${i} = await db.select({ name: ${p}.name, code: ${p}.code }).from(${p}).innerJoin(${t}, eq(${t}.parentId, ${p}.id)).where(ilike(${t}.name, "%a%"));`,
      `  out.push(rows${i}[0]?.parent.name, made${i}?.id, made${i}?.createdAt.getTime(), names${i}[0]?.code);`,
    ];
  });
  return [
    'import { desc, eq, ilike } from "drizzle-orm";',
    'import type { NodePgDatabase } from "drizzle-orm/node-postgres";',
    'import * as schema from "./drizzle/schema.js";',
    "",
    "export async function use(db: NodePgDatabase<typeof schema>): Promise<unknown[]> {",
    "  const out: unknown[] = [];",
    ...body,
    "  return out;",
    "}",
    "",
  ].join("\n");
}
