/**
 * Reads a literal value from a ts-morph expression: strings, numbers (also negative), booleans,
 * `null`, and arrays and objects of those, through `as const`, `satisfies` and parentheses.
 * Anything that would need running the schema (identifiers, calls, spreads, computed keys,
 * template strings with expressions) is refused, pointing at the offending node.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Expression,
  type PrefixUnaryExpression,
} from "./ts-morph.js";
import type { LiteralValue } from "./ir.js";

export type LiteralResult =
  | { readonly ok: true; readonly value: LiteralValue }
  /** `node` is the part that is not a literal; `reason` is set when more can be said than "not a literal". */
  | { readonly ok: false; readonly node: Node; readonly reason?: string };

/** Strips `as T`, `satisfies T`, `<T>x`, `x!` and parentheses: they do not change a literal. */
export function unwrap(node: Expression): Expression {
  let current: Expression = node;
  for (;;) {
    if (
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isParenthesizedExpression(current) ||
      Node.isTypeAssertion(current) ||
      Node.isNonNullExpression(current)
    ) {
      current = current.getExpression();
    } else {
      return current;
    }
  }
}

/** A call's arguments (always expressions; ts-morph types them as nodes). */
export function callArguments(call: CallExpression): Expression[] {
  return call.getArguments().filter((a): a is Expression => Node.isExpression(a));
}

/** The text of a property name written as an identifier, string or number; undefined if computed. */
export function propertyName(node: Node): string | undefined {
  if (Node.isIdentifier(node) || Node.isPrivateIdentifier(node)) return node.getText();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return node.getLiteralValue();
  }
  if (Node.isNumericLiteral(node)) return String(node.getLiteralValue());
  if (Node.isComputedPropertyName(node)) {
    const inner = unwrap(node.getExpression());
    if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner))
      return inner.getLiteralValue();
  }
  return undefined;
}

export function readLiteral(expression: Expression): LiteralResult {
  const node = unwrap(expression);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return { ok: true, value: node.getLiteralValue() };
  }
  if (Node.isNumericLiteral(node)) return { ok: true, value: node.getLiteralValue() };
  if (Node.isBigIntLiteral(node)) return readBigInt(node, 1n);
  if (Node.isTrueLiteral(node)) return { ok: true, value: true };
  if (Node.isFalseLiteral(node)) return { ok: true, value: false };
  if (Node.isNullLiteral(node)) return { ok: true, value: null };
  if (Node.isPrefixUnaryExpression(node)) return readSigned(node);
  if (Node.isArrayLiteralExpression(node)) {
    const items: LiteralValue[] = [];
    for (const element of node.getElements()) {
      const item = readLiteral(element);
      if (!item.ok) return item;
      items.push(item.value);
    }
    return { ok: true, value: items };
  }
  if (Node.isObjectLiteralExpression(node)) return readObject(node.getProperties());
  return { ok: false, node };
}

function readSigned(node: PrefixUnaryExpression): LiteralResult {
  const operator = node.getOperatorToken();
  const operand = node.getOperand();
  if (operator !== SyntaxKind.MinusToken && operator !== SyntaxKind.PlusToken) {
    return { ok: false, node };
  }
  const sign = operator === SyntaxKind.MinusToken ? -1 : 1;
  if (Node.isNumericLiteral(operand)) return { ok: true, value: sign * operand.getLiteralValue() };
  if (Node.isBigIntLiteral(operand)) return readBigInt(operand, BigInt(sign));
  return { ok: false, node };
}

/** Literal values are plain JSON-like data, so a bigint literal must fit a double exactly. */
function readBigInt(node: Node, sign: bigint): LiteralResult {
  const value = sign * BigInt(node.getText().replace(/n$/, "").replaceAll("_", ""));
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return {
      ok: false,
      node,
      reason: "is beyond ±2^53 - 1, the largest integer a literal default can hold",
    };
  }
  return { ok: true, value: Number(value) };
}

function readObject(properties: readonly Node[]): LiteralResult {
  const value: { [key: string]: LiteralValue } = {};
  for (const property of properties) {
    if (!Node.isPropertyAssignment(property)) return { ok: false, node: property };
    const key = propertyName(property.getNameNode());
    if (key === undefined) return { ok: false, node: property.getNameNode() };
    const initializer = property.getInitializer();
    if (initializer === undefined) return { ok: false, node: property };
    const item = readLiteral(initializer);
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
