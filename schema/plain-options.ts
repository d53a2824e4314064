/**
 * The common case of an options object, `{ maxLength: 100, null: true }`, read straight from
 * TypeScript's nodes: every entry `name: literal` with a plain name and a string, number,
 * boolean or `null` value, no name twice. ts-morph wraps each node it hands out, and wrapping
 * the names and values of every option was a large part of reading a 300-model schema; the
 * values and locations here are the ones `read-models.ts` reads through ts-morph. Anything
 * else (and every problem) is left to that reader, so its messages stay its own.
 */
import type { SourceLocation } from "./ir.js";
import { positionsIn } from "./positions.js";
import type { RawOption } from "./raw.js";
import type { ts as typescript } from "ts-morph";
import { ts, type ObjectLiteralExpression } from "./ts-morph.js";

const positions = new WeakMap<typescript.SourceFile, (pos: number) => SourceLocation>();

function positionIn(source: typescript.SourceFile): (pos: number) => SourceLocation {
  let position = positions.get(source);
  if (position === undefined) {
    position = positionsIn(source.getFullText());
    positions.set(source, position);
  }
  return position;
}

/** ts-morph's `getLiteralValue` of a literal node, or `undefined` when `node` is none of these. */
function plainValue(node: typescript.Node): string | number | boolean | null | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.StringLiteral:
      return (node as typescript.StringLiteral).text;
    case ts.SyntaxKind.NumericLiteral: {
      const text = (node as typescript.NumericLiteral).text;
      return text.includes(".") ? parseFloat(text) : parseInt(text, 10);
    }
    case ts.SyntaxKind.TrueKeyword:
      return true;
    case ts.SyntaxKind.FalseKeyword:
      return false;
    case ts.SyntaxKind.NullKeyword:
      return null;
    default:
      return undefined;
  }
}

/** The entries of `object` when every one is plain, else `undefined`. */
export function plainOptions(object: ObjectLiteralExpression): RawOption[] | undefined {
  const compiled = object.compilerNode;
  const source = object.getSourceFile().compilerNode;
  const entries: RawOption[] = [];
  const seen = new Set<string>();
  for (const property of compiled.properties) {
    if (!ts.isPropertyAssignment(property)) return undefined;
    const nameNode = property.name;
    let name: string;
    if (ts.isIdentifier(nameNode)) name = nameNode.getText(source);
    else if (ts.isStringLiteral(nameNode)) name = nameNode.text;
    else return undefined;
    if (seen.has(name)) return undefined;
    seen.add(name);
    const value = plainValue(property.initializer);
    if (value === undefined) return undefined;
    entries.push({ name, value, loc: positionIn(source)(property.getStart(source)) });
  }
  return entries;
}
