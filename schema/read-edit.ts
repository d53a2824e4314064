/**
 * Watch mode's short way through a save that changed the text inside one model only (the usual
 * edit): that model's text is parsed alone and read, the other models come from the cache at
 * their new positions, and the rest of the file is as the previous read found it. Parsing the
 * whole file again was most of a regeneration. Whenever anything is not certain to read exactly
 * as a read of the whole file would — the edit spans two models or reaches outside them, the
 * model's text does not parse cleanly on its own or is no longer one `Name: value` of the same
 * name, a spread, a model missing from the cache — it answers `undefined` and the whole file is
 * read as usual.
 */
import type { SourceLocation } from "./ir.js";
import { propertyName } from "./literal.js";
import { parse, syntaxErrors, virtualPath } from "./parse.js";
import { positionsIn } from "./positions.js";
import type { ProblemList } from "./problems.js";
import type { RawModel, RawSchema } from "./raw.js";
import type { SchemaReadCache } from "./read-cache.js";
import { readModelOnce } from "./read-models.js";
import { ts } from "./typescript.js";

/** How many characters `a` and `b` share at the start. */
function sharedStart(a: string, b: string): number {
  const shortest = Math.min(a.length, b.length);
  let i = 0;
  while (i < shortest && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many characters `a` and `b` share at the end, within their last `limit`. */
function sharedEnd(a: string, b: string, limit: number): number {
  let i = 0;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** The model `text` parsed alone, as the one entry of an object literal (it starts at offset 2). */
const WRAP_BEFORE = "({";
const WRAP_AFTER = "});export {};";

export function readEdited(
  file: string,
  body: string,
  problems: ProblemList,
  cache: SchemaReadCache,
): RawSchema | undefined {
  const layout = cache.layout;
  if (layout === undefined || layout.path !== virtualPath(file) || layout.text === body) {
    return undefined;
  }
  const before = layout.text;
  const start = sharedStart(before, body);
  const end = sharedEnd(before, body, Math.min(before.length, body.length) - start);
  const index = layout.spans.findIndex((s) => s.start <= start && before.length - end <= s.end);
  const span = layout.spans[index];
  if (span === undefined) return undefined;
  const delta = body.length - before.length;
  const spanEnd = span.end + delta;
  const text = body.slice(span.start, spanEnd);
  // What follows the model cannot run into its last token: a comma, a brace or white space.
  if (text.includes("...") || !/^[,}\s]/.test(body.charAt(spanEnd))) return undefined;

  const alone = parse(file, `${WRAP_BEFORE}${text}${WRAP_AFTER}`);
  if (syntaxErrors(alone).length > 0) return undefined;
  const statement = alone.statements[0];
  const wrapped =
    statement !== undefined && ts.isExpressionStatement(statement)
      ? statement.expression
      : undefined;
  const object =
    wrapped !== undefined && ts.isParenthesizedExpression(wrapped) ? wrapped.expression : undefined;
  if (object === undefined || !ts.isObjectLiteralExpression(object)) return undefined;
  const property = object.properties[0];
  if (
    object.properties.length !== 1 ||
    property === undefined ||
    !ts.isPropertyAssignment(property) ||
    property.getStart(alone) !== WRAP_BEFORE.length ||
    property.end !== WRAP_BEFORE.length + text.length ||
    propertyName(property.name, alone) !== span.name
  ) {
    return undefined;
  }

  // The other models, from the cache at their new places; any one missing means a full read.
  const position = positionsIn(body);
  const others = new Map<number, { model: RawModel; key: { text: string; at: SourceLocation } }>();
  for (const [i, other] of layout.spans.entries()) {
    if (i === index) continue;
    const otherText = before.slice(other.start, other.end);
    const at = position(i > index ? other.start + delta : other.start);
    const model = cache.get(otherText, at);
    if (model === undefined) return undefined;
    others.set(i, { model, key: { text: otherText, at } });
  }

  cache.walked = [];
  const offset = span.start - WRAP_BEFORE.length;
  const read = readModelOnce(span.name, property.initializer, property, {
    source: alone,
    callees: layout.callees,
    problems,
    at: (node) => position(offset + node.getStart(alone)),
    cache,
  });
  const models: RawModel[] = [];
  const seen: { text: string; at: SourceLocation }[] = [];
  for (let i = 0; i < layout.spans.length; i++) {
    const other = others.get(i);
    if (other !== undefined) {
      models.push(other.model);
      seen.push(other.key);
      continue;
    }
    if (read.model !== undefined) models.push(read.model);
    if (read.cached !== undefined) seen.push(read.cached);
  }
  cache.retain(seen);
  cache.layout = {
    ...layout,
    text: body,
    spans: layout.spans.map((s, i) =>
      i < index
        ? s
        : { name: s.name, start: i > index ? s.start + delta : s.start, end: s.end + delta },
    ),
  };
  return { ...layout.schema, models };
}
