/**
 * Names two models would both export. Every generated name comes from a model's name
 * (naming.ts), so one model's can be another's: models `Book` and `BookCreate` both give
 * `BookCreate` (Book's create input type, and the class), and the generated index, which
 * re-exports every model module, then exports neither as the user means (`export *` drops a name
 * two modules export: `import { BookCreate } from "./gen/index.js"` fails under tsc). The same
 * goes for an enum field's type (`Book.create` → `BookCreate`) within one model's file. The
 * schema is refused, naming both owners and the name, like a model named after a yara-orm export
 * (schema/naming.ts). A pure function of the IR; generate.ts reports what it finds.
 */
import type { ModelIR, SchemaIR, SourceLocation } from "../schema/ir.js";
import { isEnum } from "./kinds.js";
import { enumTypeName, modelExports } from "./naming.js";

export interface NameClash {
  readonly loc: SourceLocation;
  readonly message: string;
}

/** One exported name and where it comes from. */
interface Owner {
  readonly model: string;
  /** The enum field whose type it is, if it is one. */
  readonly field?: string;
  readonly what: string;
  readonly loc: SourceLocation;
}

export function nameClashes(ir: SchemaIR): NameClash[] {
  const modelNames = new Set(ir.models.map((m) => m.name));
  const taken = new Map<string, Owner>();
  const reported = new Set<string>();
  const clashes: NameClash[] = [];
  for (const model of ir.models) {
    for (const [name, owner] of exportsOf(model, modelNames)) {
      const first = taken.get(name);
      if (first === undefined) {
        taken.set(name, owner);
        continue;
      }
      const pair = [label(first), label(owner)].sort().join("\u0000");
      if (reported.has(pair)) continue;
      reported.add(pair);
      clashes.push(clash(name, first, owner));
    }
  }
  return clashes;
}

function exportsOf(model: ModelIR, modelNames: ReadonlySet<string>): [string, Owner][] {
  const found: [string, Owner][] = modelExports(model.name).map(({ name, what }) => [
    name,
    { model: model.name, what, loc: model.loc },
  ]);
  for (const field of model.fields.filter(isEnum))
    found.push([
      enumTypeName(model.name, field.name, modelNames),
      { model: model.name, field: field.name, what: "enum type", loc: field.loc },
    ]);
  return found;
}

const isClass = (o: Owner): boolean => o.what === "model class";
const label = (o: Owner): string => (o.field === undefined ? o.model : `${o.model}.${o.field}`);

function describe(o: Owner): string {
  if (isClass(o)) return `model name \`${o.model}\``;
  if (o.field !== undefined) return `the enum type of field \`${label(o)}\``;
  return `the ${o.what} of model \`${o.model}\``;
}

/** The problem, at the model named like the other's generated name if there is one. */
function clash(name: string, first: Owner, second: Owner): NameClash {
  const [subject, other] = isClass(first) && !isClass(second) ? [first, second] : [second, first];
  const where =
    subject.model === other.model
      ? `in the file of model \`${subject.model}\``
      : "and the generated index re-exports both";
  const field = [subject, other].find((o) => o.field !== undefined);
  const fix =
    field !== undefined
      ? `the field \`${label(field)}\``
      : "one of the models (`model({...}, { table })` can keep the table name)";
  return {
    loc: subject.loc,
    message: `${describe(subject)} clashes with ${describe(other)}: both are named \`${name}\` ${where}; rename ${fix}`,
  };
}
