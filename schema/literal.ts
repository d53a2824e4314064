/**
 * Reads a literal value from a TypeScript expression: strings, numbers (also negative), booleans,
 * `null`, and arrays and objects of those, through `as const`, `satisfies` and parentheses.
 * Anything that would need running the schema (identifiers, calls, spreads, computed keys,
 * template strings with expressions) is refused, pointing at the offending node.
 */
import type {
  ArrayLiteralExpression,
  CallExpression,
  ComputedPropertyName,
  Expression,
  Identifier,
  Node,
  NumericLiteral,
  ObjectLiteralElementLike,
  ObjectLiteralExpression,
  PrefixUnaryExpression,
  PrivateIdentifier,
  SourceFile,
  StringLiteralLike,
  SyntaxKind,
} from "typescript";
import { ts } from "./typescript.js";
import type { LiteralValue } from "./ir.js";

const K = ts.SyntaxKind;

export type LiteralResult =
  | { readonly ok: true; readonly value: LiteralValue }
  /** `node` is the part that is not a literal; `reason` is set when more can be said than "not a literal". */
  | { readonly ok: false; readonly node: Node; readonly reason?: string };

/** Strips `as T`, `satisfies T`, `<T>x`, `x!` and parentheses: they do not change a literal. */
export function unwrap(node: Expression): Expression {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case K.AsExpression:
      case K.SatisfiesExpression:
      case K.ParenthesizedExpression:
      case K.TypeAssertionExpression:
      case K.NonNullExpression:
        current = (current as Expression & { readonly expression: Expression }).expression;
        break;
      default:
        return current;
    }
  }
}

/**
 * The kinds of node that count as an argument: expressions, as the reader has always counted
 * them (an instantiation expression `f<T>` or a missing argument does not).
 */
const EXPRESSIONS = new Set<SyntaxKind>([
  K.AnyKeyword,
  K.BooleanKeyword,
  K.NumberKeyword,
  K.ObjectKeyword,
  K.StringKeyword,
  K.SymbolKeyword,
  K.UndefinedKeyword,
  K.ArrayLiteralExpression,
  K.ArrowFunction,
  K.AsExpression,
  K.AwaitExpression,
  K.BigIntLiteral,
  K.BinaryExpression,
  K.CallExpression,
  K.ClassExpression,
  K.CommaListExpression,
  K.ConditionalExpression,
  K.DeleteExpression,
  K.ElementAccessExpression,
  K.FalseKeyword,
  K.FunctionExpression,
  K.Identifier,
  K.ImportKeyword,
  K.JsxClosingFragment,
  K.JsxElement,
  K.JsxExpression,
  K.JsxFragment,
  K.JsxOpeningElement,
  K.JsxOpeningFragment,
  K.JsxSelfClosingElement,
  K.MetaProperty,
  K.NewExpression,
  K.NonNullExpression,
  K.NoSubstitutionTemplateLiteral,
  K.NullKeyword,
  K.NumericLiteral,
  K.ObjectLiteralExpression,
  K.OmittedExpression,
  K.ParenthesizedExpression,
  K.PartiallyEmittedExpression,
  K.PostfixUnaryExpression,
  K.PrefixUnaryExpression,
  K.PropertyAccessExpression,
  K.RegularExpressionLiteral,
  K.SatisfiesExpression,
  K.SpreadElement,
  K.StringLiteral,
  K.SuperKeyword,
  K.TaggedTemplateExpression,
  K.TemplateExpression,
  K.ThisKeyword,
  K.TrueKeyword,
  K.TypeAssertionExpression,
  K.TypeOfExpression,
  K.VoidExpression,
  K.YieldExpression,
]);

/** A call's arguments that are expressions. */
export function callArguments(call: CallExpression): Expression[] {
  return call.arguments.filter((a) => EXPRESSIONS.has(a.kind));
}

/** The value of a numeric literal: its digits (TypeScript has already written them in decimal). */
export function numericValue(node: NumericLiteral): number {
  return node.text.includes(".") ? parseFloat(node.text) : parseInt(node.text, 10);
}

/** The text of a property name written as an identifier, string or number; undefined if computed. */
export function propertyName(node: Node, source: SourceFile): string | undefined {
  switch (node.kind) {
    case K.Identifier:
    case K.PrivateIdentifier:
      return (node as Identifier | PrivateIdentifier).text;
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
      return (node as StringLiteralLike).text;
    case K.NumericLiteral:
      return String(numericValue(node as NumericLiteral));
    case K.ComputedPropertyName: {
      const inner = unwrap((node as ComputedPropertyName).expression);
      if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
      return undefined;
    }
    default:
      return undefined;
  }
}

export function readLiteral(expression: Expression, source: SourceFile): LiteralResult {
  const node = unwrap(expression);
  switch (node.kind) {
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
      return { ok: true, value: (node as StringLiteralLike).text };
    case K.NumericLiteral:
      return { ok: true, value: numericValue(node as NumericLiteral) };
    case K.BigIntLiteral:
      return readBigInt(node, 1n, source);
    case K.TrueKeyword:
      return { ok: true, value: true };
    case K.FalseKeyword:
      return { ok: true, value: false };
    case K.NullKeyword:
      return { ok: true, value: null };
    case K.PrefixUnaryExpression:
      return readSigned(node as PrefixUnaryExpression, source);
    case K.ArrayLiteralExpression: {
      const items: LiteralValue[] = [];
      for (const element of (node as ArrayLiteralExpression).elements) {
        const item = readLiteral(element, source);
        if (!item.ok) return item;
        items.push(item.value);
      }
      return { ok: true, value: items };
    }
    case K.ObjectLiteralExpression:
      return readObject((node as ObjectLiteralExpression).properties, source);
    default:
      return { ok: false, node };
  }
}

function readSigned(node: PrefixUnaryExpression, source: SourceFile): LiteralResult {
  const { operator, operand } = node;
  if (operator !== K.MinusToken && operator !== K.PlusToken) return { ok: false, node };
  const sign = operator === K.MinusToken ? -1 : 1;
  if (ts.isNumericLiteral(operand)) return { ok: true, value: sign * numericValue(operand) };
  if (ts.isBigIntLiteral(operand)) return readBigInt(operand, BigInt(sign), source);
  return { ok: false, node };
}

/** Literal values are plain JSON-like data, so a bigint literal must fit a double exactly. */
function readBigInt(node: Node, sign: bigint, source: SourceFile): LiteralResult {
  const value = sign * BigInt(node.getText(source).replace(/n$/, "").replaceAll("_", ""));
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return {
      ok: false,
      node,
      reason: "is beyond ±2^53 - 1, the largest integer a literal default can hold",
    };
  }
  return { ok: true, value: Number(value) };
}

function readObject(
  properties: readonly ObjectLiteralElementLike[],
  source: SourceFile,
): LiteralResult {
  const value: { [key: string]: LiteralValue } = {};
  for (const property of properties) {
    if (!ts.isPropertyAssignment(property)) return { ok: false, node: property };
    const key = propertyName(property.name, source);
    if (key === undefined) return { ok: false, node: property.name };
    const item = readLiteral(property.initializer, source);
    if (!item.ok) return item;
    Object.defineProperty(value, key, {
      value: item.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { ok: true, value };
}
