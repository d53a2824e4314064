/** Helpers for schema tests: inline schema sources, their problems, and IR builders. */
import { FIELD_FLAGS } from "../../schema/meta-defaults.js";
import {
  formatProblem,
  readSchema,
  type FieldIR,
  type ModelIR,
  type SchemaIR,
  type SourceLocation,
} from "../../schema/compile.js";

export const FILE = "app.schema.ts";

/**
 * A schema file whose models are `body`. The import is line 1 and `defineSchema({` line 2, so
 * the first line of `body` is line 3 of the file.
 */
export function schemaSource(body: string): string {
  return `import { defineSchema, model, fields } from "yara-orm/schema";\nexport default defineSchema({\n${body}\n});\n`;
}

/** The formatted problems of `source`; fails the test if it reads cleanly. */
export function problemsOf(source: string): string[] {
  const result = readSchema(FILE, { sourceText: source });
  if (result.ok) {
    throw new Error("expected the schema to be rejected, but it was read without problems");
  }
  return result.problems.map(formatProblem);
}

/** The IR of `source`; fails the test with the problems if it is rejected. */
export function irOf(source: string, file = FILE): SchemaIR {
  const result = readSchema(file, { sourceText: source });
  if (!result.ok) {
    throw new Error(`expected a valid schema:\n${result.problems.map(formatProblem).join("\n")}`);
  }
  return result.ir;
}

/** The IR of a schema file on disk. */
export function readIR(file: string): SchemaIR {
  const result = readSchema(file);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.ir;
}

export const modelOf = (ir: SchemaIR, name: string): ModelIR | undefined =>
  ir.models.find((m) => m.name === name);

export const at = (line: number, column: number): SourceLocation => ({ line, column });

/** A FieldIR with the defaults of a plain, non-key field. */
export function field(spec: Partial<FieldIR> & Pick<FieldIR, "name" | "kind" | "loc">): FieldIR {
  return {
    column: spec.name,
    pk: false,
    ...FIELD_FLAGS,
    ...spec,
  };
}

/** The `id: IntField({ pk: true })` every model without a declared key gets. */
export const intPk = (line: number, column: number): FieldIR =>
  field({ name: "id", kind: "int", pk: true, generated: true, loc: at(line, column) });
