/**
 * `index.ts`: the one module an application imports. Importing it registers every model; it
 * re-exports each model file and the runtime's public API (`YaraOrm`, `inTransaction`, `Q`,
 * `F`, aggregates, errors), so `import { Book, YaraOrm } from "./generated/index.js"` is enough.
 * First of all it imports `_version.ts`, which checks that the installed runtime is the version
 * the client was generated for, before any model file runs (a model name never makes a file name
 * starting with `_`).
 */
import type { SchemaIR } from "../schema/ir.js";
import { RUNTIME_VERSION } from "yara-orm/internal";
import { header, modelImport, versionImport } from "./naming.js";
import { hardline, join, lines } from "./print/doc.js";
import { printDoc } from "./print/printer.js";
import { callArguments, literalValue, stringLiteral } from "./print/syntax.js";

export function emitIndex(ir: SchemaIR, schemaFile: string): string {
  const models = ir.models.map((m) => `export * from ${stringLiteral(modelImport(m.name))};`);
  return printDoc([
    join(
      [hardline, hardline],
      [
        lines(header(schemaFile).split("\n")),
        lines([
          "// First: refuses to load on another runtime version than the one this client was made for.",
          `import ${stringLiteral(versionImport)};`,
        ]),
        lines(models),
        'export * from "yara-orm";',
      ],
    ),
    hardline,
  ]);
}

/** `_version.ts`: the runtime version check, run before any model file. */
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
