/**
 * `migrations make` and `migrations check`: read the schema file (statically, as yara-gen does),
 * replay the migrations folder into a state (no database), let the autodetector list the
 * operations between them, and write them as the next numbered migration file — or, for check,
 * report them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  listMigrationFiles,
  loadMigrations,
  planMigrations,
  type Operation,
} from "yara-orm/internal";
import { readSchema, type SchemaProblem } from "../../schema/compile.js";

/** The connection of models whose schema names none (runtime/connection/connections.ts). */
const DEFAULT_CONNECTION = "default";
import { autodetect } from "./autodetect.js";
import type { Renames } from "./renames.js";
import { stateFromIr } from "./state-from-ir.js";
import { migrationSource, operationText } from "./write-migration.js";

export interface MakeOptions {
  readonly schema: string;
  readonly dir: string;
  /** The new file's name after its number; default: made from the operations. */
  readonly name?: string;
  /**
   * The named connection (`YaraOrm.init({ connections })`) whose models the folder holds:
   * models with that schema `connection`, or — for "default", the default — with none.
   */
  readonly connection?: string;
  readonly renames: Renames;
}

export type MakeResult = (
  | { readonly kind: "problems"; readonly problems: SchemaProblem[] }
  | { readonly kind: "none" }
  | {
      readonly kind: "changes";
      readonly operations: readonly Operation[];
      readonly hints: readonly string[];
      /** Set by `makeMigration` once the file is written. */
      readonly file?: string;
    }
) & {
  /** Models of the schema left out: they live on other connections (with theirs). */
  readonly elsewhere?: readonly { readonly model: string; readonly connection: string }[];
};

/** What the schema changes relative to the migrations folder, without writing anything. */
export async function detectChanges(
  options: MakeOptions,
): Promise<MakeResult & { previous?: string | null }> {
  const read = readSchema(options.schema);
  if (!read.ok) return { kind: "problems", problems: read.problems };
  const connection = options.connection ?? DEFAULT_CONNECTION;
  const mine = read.ir.models.filter((m) => (m.connection ?? DEFAULT_CONNECTION) === connection);
  const elsewhere = read.ir.models
    .filter((m) => !mine.includes(m))
    .map((m) => ({ model: m.name, connection: m.connection ?? DEFAULT_CONNECTION }));
  if (mine.length === 0 && connection !== DEFAULT_CONNECTION)
    return {
      kind: "problems",
      problems: [
        {
          file: options.schema,
          line: 1,
          column: 1,
          message: `no model of the schema lives on connection "${connection}" (the model option \`connection\`)`,
        },
      ],
    };
  const migrations = await loadMigrations(options.dir);
  const plan = planMigrations(migrations);
  const { operations, hints } = autodetect(
    plan.before.at(-1)!,
    stateFromIr({ ...read.ir, models: mine }),
    options.renames,
  );
  const others = elsewhere.length === 0 ? {} : { elsewhere };
  if (operations.length === 0) return { kind: "none", ...others };
  return {
    kind: "changes",
    operations,
    hints,
    previous: migrations.at(-1)?.name ?? null,
    ...others,
  };
}

export async function makeMigration(options: MakeOptions): Promise<MakeResult> {
  const detected = await detectChanges(options);
  if (detected.kind !== "changes") return detected;
  const number = listMigrationFiles(options.dir).length + 1;
  const name = `${String(number).padStart(4, "0")}_${options.name ?? autoName(detected.operations, number)}`;
  const source = migrationSource({
    previous: detected.previous ?? null,
    operations: detected.operations,
    notes: detected.hints.map((h) => `NOTE: ${h}`),
  });
  const file = join(options.dir, `${name}.ts`);
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(file, source, { flag: "wx" });
  return {
    kind: "changes",
    operations: detected.operations,
    hints: detected.hints,
    file,
    ...(detected.elsewhere === undefined ? {} : { elsewhere: detected.elsewhere }),
  };
}

/** `initial`, `add_book_slug`, `alter_book_title_and_more`: lower-case, digits and "_". */
export function autoName(operations: readonly Operation[], number: number): string {
  if (number === 1) return "initial";
  const first = operations[0]!;
  const words: string[] = [first.op.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
  if ("model" in first && typeof first.model === "string") words.push(first.model);
  if (first.op === "addField" || first.op === "alterField") words.push(first.field.name);
  if (first.op === "removeField") words.push(first.field);
  if (first.op === "createModel") words.push(first.model.name);
  if (operations.length > 1) words.push("and_more");
  const name = words
    .join("_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_");
  return name.slice(0, 60);
}

/** One line per operation, as `check` lists what no migration captures. */
export function describeOperations(operations: readonly Operation[]): string[] {
  return operations.map(operationText);
}
