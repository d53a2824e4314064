/**
 * `index.ts`: the one module an application imports. Importing it registers every model; it
 * re-exports each model file and the runtime's public API (`YaraOrm`, `inTransaction`, `Q`,
 * `F`, aggregates, errors), so `import { Book, YaraOrm } from "./generated/index.js"` is enough.
 * First of all it imports `_version.ts`, which checks that the installed runtime is the version
 * the client was generated for, before any model file runs (a model name never makes a file name
 * starting with `_`). A schema that names custom validators (`validators: ["isbn"]`) also gets
 * `registerValidators`, typed so that every name must be given a function of its fields' values.
 */
import type { SchemaIR } from "../schema/ir.js";
import type { EmitTarget } from "./context.js";
import { RUNTIME_VERSION } from "yara-orm/internal/codegen";
import { enumMembers, isEnum, valueType } from "./kinds.js";
import { header, modelImport, versionImport } from "./naming.js";
import { hardline, join, lines, type Doc } from "./print/doc.js";
import { printDoc } from "./print/printer.js";
import {
  callArguments,
  importDeclaration,
  literalValue,
  objectDoc,
  propertyKey,
  stringLiteral,
  typeAlias,
  typeReference,
  unionArgument,
} from "./print/syntax.js";

/**
 * The names a model's declarations file exports, in file order, each once: every top-level
 * `export declare const|function|class`, `export interface` and `export type` (the printer
 * starts each at the beginning of a line; a model file has no other kind of export).
 */
export function declaredExports(declarations: string): string[] {
  const names = new Set<string>();
  for (const m of declarations.matchAll(DECLARED_EXPORT)) names.add(m[1]!);
  return [...names];
}

const DECLARED_EXPORT =
  /^export (?:declare )?(?:const|function|class|interface|type|enum|abstract class) ([\w$]+)/gm;

/**
 * `index` as `target`: the declarations (`dts`) do not import the version check, and name what
 * they re-export from each model (`exports`, by model name: `declaredExports` of its `.d.ts`)
 * instead of `export *`. An editor resolving `Book` from the index then finds it in the index's
 * own table, where through 300 `export *` it rebuilt the merged table of every model's exports on
 * each request after an edit (the largest single cost of a warm completion at 300 models).
 */
export function emitIndex(
  ir: SchemaIR,
  schemaFile: string,
  target: EmitTarget = "ts",
  exports?: ReadonlyMap<string, readonly string[]>,
): string {
  const models = ir.models.map((m) => {
    const names = target === "dts" ? exports?.get(m.name) : undefined;
    if (names === undefined) return `export * from ${stringLiteral(modelImport(m.name))};`;
    return importDeclaration("export", names, modelImport(m.name));
  });
  const check = lines([
    "// First: refuses to load on another runtime version than the one this client was made for.",
    `import ${stringLiteral(versionImport)};`,
  ]);
  return printDoc([
    join(
      [hardline, hardline],
      [
        lines(header(schemaFile).split("\n")),
        ...(target === "dts" ? [] : [check]),
        lines(models),
        'export * from "yara-orm";',
        ...customValidators(ir, target),
      ],
    ),
    hardline,
  ]);
}

/**
 * The custom validators the schema names, each with the union of the value types of the fields
 * that name it, and `registerValidators` taking them all (a local export wins over the runtime's
 * untyped one that `export *` brings).
 */
function customValidators(ir: SchemaIR, target: EmitTarget): Doc[] {
  const types = new Map<string, Set<string>>();
  const modelNames = new Set(ir.models.map((m) => m.name));
  for (const model of ir.models) {
    const ctx = { model, modelNames };
    for (const field of model.fields) {
      for (const name of field.validators?.custom ?? []) {
        const set = types.get(name) ?? new Set<string>();
        const members = isEnum(field) ? enumMembers(field) : [valueType(field, ctx)];
        for (const t of members) set.add(t);
        types.set(name, set);
      }
    }
  }
  if (types.size === 0) return [];
  const comment =
    "/** Registers every custom validator the schema names, before the first write. */";
  if (target === "js") {
    return [
      'import { registerValidators as register } from "yara-orm";',
      lines([
        comment,
        "export function registerValidators(validators) {",
        "  register(validators);",
        "}",
      ]),
    ];
  }
  const all = [...types.values()].flatMap((t) => [...t]);
  const names = ["registerValidators as register", "type ValidatorFunction"];
  if (all.includes("JsonValue")) names.push("type JsonValue");
  const members = [...types].map(([name, set]) => {
    const union = [...set];
    const simple = union.length === 1 && /^\w+$/.test(union[0]!);
    return [
      propertyKey(name),
      ": ",
      typeReference("ValidatorFunction", [unionArgument(union)], simple),
    ];
  });
  if (target === "dts") names.shift();
  const registration =
    target === "dts"
      ? [
          comment,
          "export declare function registerValidators(validators: ValidatorFunctions): void;",
        ]
      : [
          comment,
          "export function registerValidators(validators: ValidatorFunctions): void {",
          "  register(validators);",
          "}",
        ];
  return [
    importDeclaration("import", names, "yara-orm"),
    lines([
      "/** The custom validators the schema names: each gets the value written to a field naming it. */",
      typeAlias("ValidatorFunctions", objectDoc(members, true, ";")),
    ]),
    lines(registration),
  ];
}

/**
 * `_version.ts` (or `.js`, which needs no declarations: only `index.js` imports it): the runtime
 * version check, run before any model file. The same text either way.
 */
export function emitVersionCheck(schemaFile: string): string {
  const check = [
    "checkClientVersion",
    callArguments([literalValue(RUNTIME_VERSION), literalValue(schemaFile)]),
    ";",
  ];
  return printDoc([
    join(
      [hardline, hardline],
      [
        lines(header(schemaFile).split("\n")),
        'import { checkClientVersion } from "yara-orm";',
        lines([`// This client was generated for yara-orm ${RUNTIME_VERSION}.`, check]),
      ],
    ),
    hardline,
  ]);
}
