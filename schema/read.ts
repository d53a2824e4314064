/**
 * Reads a schema file statically with ts-morph: finds `export default defineSchema({...})` and
 * hands its object to `read-models.ts`. Nothing in the file is executed, so a schema can be read
 * without its imports resolving and without trusting its code.
 */
import { basename } from "node:path";
import { Node, Project, ts, type Expression, type SourceFile } from "./ts-morph.js";
import { callArguments, unwrap } from "./literal.js";
import { positionsIn } from "./positions.js";
import type { ProblemList } from "./problems.js";
import type { RawSchema } from "./raw.js";
import type { SchemaReadCache } from "./read-cache.js";
import { readModels, type Callees } from "./read-models.js";

/**
 * A new in-memory project for every read (watch mode reads on every save). Creating one costs
 * under a tenth of a millisecond; reusing one means removing the previous schema file first, and
 * ts-morph then visits every node it wrapped to forget it: ~150 ms on a 300-model schema, more
 * than parsing it.
 */
function freshProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true, allowJs: true },
  });
}

/** Parses `text` (the contents of `file`) into raw model specs, or reports why it cannot. */
export function readSchemaSource(
  file: string,
  text: string,
  problems: ProblemList,
  cache?: SchemaReadCache,
): RawSchema | undefined {
  const project = freshProject();
  const source = project.createSourceFile(virtualPath(file), text);
  const position = positionsIn(source.getFullText());
  const at = (node: Node) => position(node.getStart());

  const syntax = project.getProgram().getSyntacticDiagnostics(source);
  for (const diagnostic of syntax) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, " ");
    const loc = position(diagnostic.getStart() ?? 0);
    problems.add(
      loc,
      `syntax error: ${message.replace(/\.$/, "")}; fix it so yara can read the schema`,
    );
  }
  if (syntax.length > 0) return undefined;

  const callees = importedNames(source);
  cache?.begin(
    source
      .getImportDeclarations()
      .map((d) => d.getText())
      .join("\n"),
  );
  const exported = defaultExport(source);
  if (exported === undefined) {
    problems.add(
      { line: 1, column: 1 },
      `${basename(file)} has no \`export default defineSchema({...})\`; yara reads the models from that default export`,
    );
    return undefined;
  }
  if (
    !Node.isCallExpression(exported) ||
    callees.resolve(exported.getExpression()) !== "defineSchema"
  ) {
    problems.add(
      at(exported),
      "the default export must be a `defineSchema({...})` call written in this file; yara reads the schema without running it",
    );
    return undefined;
  }
  const [argument, ...extra] = callArguments(exported);
  const models = argument === undefined ? undefined : unwrap(argument);
  if (models === undefined || !Node.isObjectLiteralExpression(models) || extra.length > 0) {
    problems.add(
      at(argument ?? exported),
      "`defineSchema` takes one object literal of models, like `defineSchema({ Author: {...} })`",
    );
    return undefined;
  }
  return {
    file,
    loc: at(exported),
    models: readModels(models, { callees, problems, at, ...(cache ? { cache } : {}) }),
    written: models.getProperties().length,
  };
}

/** ts-morph parses by extension; keep the user's (`.ts`, `.mts`, `.js`…) so their syntax parses. */
function virtualPath(file: string): string {
  const name = basename(file);
  return /\.(c|m)?(t|j)sx?$/.test(name) ? `/${name}` : "/schema.ts";
}

/** `export default <expr>`, following `export default schema` to `const schema = <expr>`. */
function defaultExport(source: SourceFile): Expression | undefined {
  for (const statement of source.getStatements()) {
    if (!Node.isExportAssignment(statement) || statement.isExportEquals()) continue;
    const expression = unwrap(statement.getExpression());
    if (!Node.isIdentifier(expression)) return expression;
    const declaration = source.getVariableDeclaration(expression.getText());
    const initializer = declaration?.getInitializer();
    return initializer === undefined ? expression : unwrap(initializer);
  }
  return undefined;
}

/**
 * How this file names yara's exports: `import { fields as f }`, `import * as y`, or the plain
 * names (also accepted without an import, so a snippet without imports still reads).
 */
function importedNames(source: SourceFile): Callees {
  const aliases = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const declaration of source.getImportDeclarations()) {
    const namespace = declaration.getNamespaceImport();
    if (namespace !== undefined) namespaces.add(namespace.getText());
    for (const named of declaration.getNamedImports()) {
      const alias = named.getAliasNode();
      if (alias !== undefined) aliases.set(alias.getText(), named.getName());
    }
  }
  const resolve = (expression: Node): string | undefined => {
    const node = Node.isExpression(expression) ? unwrap(expression) : expression;
    if (Node.isIdentifier(node)) return aliases.get(node.getText()) ?? node.getText();
    if (!Node.isPropertyAccessExpression(node)) return undefined;
    const target = unwrap(node.getExpression());
    if (Node.isIdentifier(target) && namespaces.has(target.getText())) return node.getName();
    const base = resolve(target);
    return base === undefined ? undefined : `${base}.${node.getName()}`;
  };
  return { resolve };
}
