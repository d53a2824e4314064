/**
 * The top-level variable declarations of a schema file, looked up by name as the reader has
 * always looked them up: the first `const`/`let`/`var` statement declaring it, also inside a
 * destructuring pattern (`const { a } = …` declares `a`).
 */
import type { BindingName, NodeFlags, SourceFile, VariableDeclaration } from "typescript";
import { ts } from "./typescript.js";

function declares(name: BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isObjectBindingPattern(element.name) || ts.isArrayBindingPattern(element.name)) {
      if (declares(element.name, wanted)) return true;
    } else if (element.name.text === wanted) return true;
  }
  return false;
}

/** Whether a declaration list's flags say `const` (not `let`, `var`, `using` or `await using`). */
function isConst(flags: NodeFlags): boolean {
  const { Let, Const, Using, AwaitUsing } = ts.NodeFlags;
  if ((flags & Let) !== 0) return false;
  if ((flags & AwaitUsing) === AwaitUsing || (flags & Using) === Using) return false;
  return (flags & Const) !== 0;
}

/** The declaration of `name` among the file's top-level variable statements. */
export function variableDeclaration(
  source: SourceFile,
  name: string,
): { readonly declaration: VariableDeclaration; readonly isConst: boolean } | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    for (const declaration of list.declarations) {
      if (declares(declaration.name, name)) {
        return { declaration, isConst: isConst(list.flags) };
      }
    }
  }
  return undefined;
}
