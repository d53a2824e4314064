/**
 * Generated model meta lists only what differs from the defaults (schema/meta-defaults.ts), and
 * the runtime's `modelMeta` fills them back in: for every model of every schema here, what the
 * generator writes, read back, is exactly the model's IR (minus source locations).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { writtenMeta } from "../../generator/emit-meta.js";
import { modelMeta, type ModelMetaInput } from "../../runtime/model/meta.js";
import { readSchema } from "../../schema/compile.js";
import type { ModelIR } from "../../schema/ir.js";
import { snakeCase } from "../../schema/naming.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(root, "tests/generator/fixtures");
const schemas = [
  ...readdirSync(fixtures).map((name) => join(fixtures, name, "schema.ts")),
  join(root, "tests/features/app.schema.ts"),
  join(root, "examples/app.schema.ts"),
];

function withoutLoc(m: ModelIR): unknown {
  const { loc: _loc, fields, relations, ...rest } = m;
  return {
    ...rest,
    fields: fields.map(({ loc: _l, ...f }) => f),
    relations: relations.map(({ loc: _l, ...r }) => r),
  };
}

describe.each(schemas.map((path) => [path.slice(root.length), path]))("%s", (_name, path) => {
  const read = readSchema(path);
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("\n"));

  test("every model's written meta reads back as its IR", () => {
    for (const model of read.ir.models) {
      const written = writtenMeta(model);
      expect(modelMeta(written as unknown as ModelMetaInput), model.name).toEqual(
        withoutLoc(model),
      );
    }
  });

  test("no written property equals its default", () => {
    for (const model of read.ir.models) {
      const written = writtenMeta(model) as { fields: Record<string, unknown>[] };
      for (const field of written.fields) {
        for (const flag of ["nullable", "unique", "index", "generated", "autoNow", "autoNowAdd"])
          expect(field[flag], `${model.name}.${String(field["name"])}.${flag}`).not.toBe(false);
        if (field["column"] !== undefined)
          expect(field["column"], model.name).not.toBe(snakeCase(String(field["name"])));
      }
    }
  });
});
