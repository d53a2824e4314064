/**
 * Reads a schema file statically with TypeScript's parser: finds `export default
 * defineSchema({...})` and hands its object to `read-models.ts`. Nothing in the file is executed,
 * so a schema can be read without its imports resolving and without trusting its code.
 */
import { basename } from "node:path";
import type { Expression, ImportDeclaration, ModuleExportName, Node, SourceFile } from "typescript";
import { variableDeclaration } from "./declarations.js";
import { callArguments, unwrap } from "./literal.js";
import { parse, syntaxErrors } from "./parse.js";
import { positionsIn } from "./positions.js";
import type { ProblemList } from "./problems.js";
import type { RawSchema } from "./raw.js";
import type { SchemaReadCache } from "./read-cache.js";
import { readEdited } from "./read-edit.js";
import { readModels, type Callees } from "./read-models.js";
import { ts } from "./typescript.js";

/** An import's name as written: an identifier's name, or a string name's text with its quotes. */
function nameText(node: ModuleExportName, source: SourceFile): string {
  return ts.isIdentifier(node) ? node.text : node.getText(source);
}

/** Parses `text` (the contents of `file`) into raw model specs, or reports why it cannot. */
export function readSchemaSource(
  file: string,
  text: string,
  problems: ProblemList,
  cache?: SchemaReadCache,
): RawSchema | undefined {
  // A byte order mark is not part of the text positions count in.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const edited = cache === undefined ? undefined : readEdited(file, body, problems, cache);
  if (edited !== undefined) return edited;
  cache?.forgetLayout();
  const source = parse(file, body);
  const position = positionsIn(body);
  const at = (node: Node) => position(node.getStart(source));

  const syntax = syntaxErrors(source);
  for (const diagnostic of syntax) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    const loc = position(diagnostic.start ?? 0);
    problems.add(
      loc,
      `syntax error: ${message.replace(/\.$/, "")}; fix it so yara can read the schema`,
    );
  }
  if (syntax.length > 0) return undefined;

  const imports = source.statements.filter(ts.isImportDeclaration);
  const callees = importedNames(imports, source);
  cache?.begin(imports.map((d) => d.getText(source)).join("\n"));
  const exported = defaultExport(source);
  if (exported === undefined) {
    problems.add(
      { line: 1, column: 1 },
      `${basename(file)} has no \`export default defineSchema({...})\`; yara reads the models from that default export`,
    );
    return undefined;
  }
  if (!ts.isCallExpression(exported) || callees.resolve(exported.expression) !== "defineSchema") {
    problems.add(
      at(exported),
      "the default export must be a `defineSchema({...})` call written in this file; yara reads the schema without running it",
    );
    return undefined;
  }
  const [argument, ...extra] = callArguments(exported);
  const models = argument === undefined ? undefined : unwrap(argument);
  if (models === undefined || !ts.isObjectLiteralExpression(models) || extra.length > 0) {
    problems.add(
      at(argument ?? exported),
      "`defineSchema` takes one object literal of models, like `defineSchema({ Author: {...} })`",
    );
    return undefined;
  }
  const read = readModels(models, { source, callees, problems, at, ...(cache ? { cache } : {}) });
  const schema = { file, loc: at(exported), written: models.properties.length };
  if (cache !== undefined && read.spans !== undefined) {
    cache.layout = { text: body, path: source.fileName, spans: read.spans, schema, callees };
  }
  return { ...schema, models: read.models };
}

/** `export default <expr>`, following `export default schema` to `const schema = <expr>`. */
function defaultExport(source: SourceFile): Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isExportAssignment(statement) || statement.isExportEquals) continue;
    const expression = unwrap(statement.expression);
    if (!ts.isIdentifier(expression)) return expression;
    const initializer = variableDeclaration(source, expression.text)?.declaration.initializer;
    return initializer === undefined ? expression : unwrap(initializer);
  }
  return undefined;
}

/**
 * How this file names yara's exports: `import { fields as f }`, `import * as y`, or the plain
 * names (also accepted without an import, so a snippet without imports still reads).
 */
function importedNames(imports: readonly ImportDeclaration[], source: SourceFile): Callees {
  const aliases = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const declaration of imports) {
    const bindings = declaration.importClause?.namedBindings;
    if (bindings === undefined) continue;
    if (ts.isNamespaceImport(bindings)) {
      namespaces.add(bindings.name.text);
      continue;
    }
    for (const named of bindings.elements) {
      if (named.propertyName === undefined) continue;
      aliases.set(named.name.text, nameText(named.propertyName, source));
    }
  }
  const resolve = (expression: Node): string | undefined => {
    const node = unwrap(expression as Expression);
    if (ts.isIdentifier(node)) return aliases.get(node.text) ?? node.text;
    if (!ts.isPropertyAccessExpression(node)) return undefined;
    const target = unwrap(node.expression);
    const name = node.name.text;
    if (ts.isIdentifier(target) && namespaces.has(target.text)) return name;
    const base = resolve(target);
    return base === undefined ? undefined : `${base}.${name}`;
  };
  return { resolve };
}
