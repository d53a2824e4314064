/**
 * Reads the object given to `defineSchema`: each model (a plain object or `model(fields,
 * options)`), each field (`fields.X(...)` or an imported `X(...)`) and each option, which must
 * be a literal. Problems are reported and the offending part skipped, so reading goes on and
 * every problem in the file is found at once.
 */
import type { Expression, Node, ObjectLiteralExpression, SourceFile } from "typescript";
import { isRelationConstructor } from "./constructors.js";
import type { SourceLocation } from "./ir.js";
import { variableDeclaration } from "./declarations.js";
import { callArguments, propertyName, readLiteral, unwrap } from "./literal.js";
import type { ProblemList } from "./problems.js";
import type { SchemaReadCache } from "./read-cache.js";
import type { RawField, RawModel, RawOption, RawOptions } from "./raw.js";
import { ts } from "./typescript.js";

/** Maps a callee as written to yara's export name: `f.CharField` → `fields.CharField`. */
export interface Callees {
  resolve(callee: Node): string | undefined;
}

export interface ReadContext {
  readonly source: SourceFile;
  readonly callees: Callees;
  readonly problems: ProblemList;
  readonly at: (node: Node) => SourceLocation;
  /** Models of earlier reads (watch mode): an unchanged model is not walked again. */
  readonly cache?: SchemaReadCache;
}

const NOT_RUN = "yara reads the schema without running it";

/**
 * One entry per `name: value` property of `object` (`what` names the object in messages, `item`
 * one entry). A shorthand `{ maxLength }` yields its identifier, which callers then report as
 * not a literal; spreads, methods and computed names are reported here.
 */
function properties(
  object: ObjectLiteralExpression,
  ctx: ReadContext,
  what: string,
  item: (name: string) => string,
  spreads?: Set<Node>,
): { name: string; value: Expression; node: Node }[] {
  const seen = new Set<string>();
  const found: { name: string; value: Expression; node: Node }[] = [];
  for (const property of expand(object, ctx, what, spreads)) {
    let entry: { name: string; value: Expression } | undefined;
    if (ts.isPropertyAssignment(property)) {
      const name = propertyName(property.name, ctx.source);
      const value = property.initializer;
      if (name === undefined) {
        ctx.problems.add(
          ctx.at(property),
          `${what} cannot use a computed name; write the name out, since ${NOT_RUN}`,
        );
        continue;
      }
      if (value !== undefined) entry = { name, value };
    } else if (ts.isShorthandPropertyAssignment(property)) {
      entry = { name: property.name.text, value: property.name };
    } else if (ts.isSpreadAssignment(property)) {
      ctx.problems.add(
        ctx.at(property),
        `${what} cannot use a spread (\`${property.getText(ctx.source)}\`); write each entry out, since ${NOT_RUN}`,
      );
      continue;
    }
    if (entry === undefined) {
      ctx.problems.add(
        ctx.at(property),
        `${what} must be written as \`name: value\`, not as a method or accessor`,
      );
      continue;
    }
    if (seen.has(entry.name)) {
      ctx.problems.add(ctx.at(property), `${item(entry.name)} is written twice; keep one`);
      continue;
    }
    seen.add(entry.name);
    found.push({ ...entry, node: property });
  }
  return found;
}

/**
 * The properties of `object`, with each `...Name` replaced by the properties of the `const Name`
 * declared in the same file as an object literal or `abstract({...})` (a mixin), when `spreads`
 * is given (fields only; it collects the mixins in use, against cycles). Other spreads are left
 * for `properties` to report.
 */
function expand(
  object: ObjectLiteralExpression,
  ctx: ReadContext,
  what: string,
  spreads: Set<Node> | undefined,
): Node[] {
  const out: Node[] = [];
  for (const property of object.properties) {
    if (spreads === undefined || !ts.isSpreadAssignment(property)) {
      out.push(property);
      continue;
    }
    const mixin = mixinObject(property.expression, ctx);
    if (mixin === undefined) {
      ctx.problems.add(
        ctx.at(property),
        `${what} can spread only a \`const\` of this file holding an object of fields or \`abstract({...})\`, not \`${property.getText(ctx.source)}\`; ${NOT_RUN}`,
      );
      continue;
    }
    if (spreads.has(mixin)) {
      ctx.problems.add(
        ctx.at(property),
        `${what} spread \`${property.getText(ctx.source)}\` within itself`,
      );
      continue;
    }
    spreads.add(mixin);
    out.push(...expand(mixin, ctx, what, spreads));
    spreads.delete(mixin);
  }
  return out;
}

/** The object of fields a spread names: `const Timestamped = abstract({...})` or `= {...}`. */
function mixinObject(
  expression: Expression,
  ctx: ReadContext,
): ObjectLiteralExpression | undefined {
  const name = unwrap(expression);
  if (!ts.isIdentifier(name)) return undefined;
  const found = variableDeclaration(ctx.source, name.text);
  if (found === undefined || !found.isConst) return undefined;
  const initializer = found.declaration.initializer;
  let value = initializer === undefined ? undefined : unwrap(initializer);
  if (
    value !== undefined &&
    ts.isCallExpression(value) &&
    ctx.callees.resolve(value.expression) === "abstract"
  ) {
    const [fields, ...extra] = callArguments(value);
    value = extra.length === 0 && fields !== undefined ? unwrap(fields) : undefined;
  }
  return value !== undefined && ts.isObjectLiteralExpression(value) ? value : undefined;
}

/** Where a model is written in the file: its property, from its name to the end of its value. */
export interface ModelSpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface ReadModels {
  readonly models: RawModel[];
  /**
   * Every entry of the object, when each is a plain `Name: value` with a name of its own and no
   * spread inside (what lets a later read re-read one of them alone: `read-edit.ts`).
   */
  readonly spans: ModelSpan[] | undefined;
}

export function readModels(object: ObjectLiteralExpression, ctx: ReadContext): ReadModels {
  const models: RawModel[] = [];
  const seen: { text: string; at: SourceLocation }[] = [];
  const found = properties(object, ctx, "the models of the schema", (n) => `model \`${n}\``);
  let spans: ModelSpan[] | undefined = found.length === object.properties.length ? [] : undefined;
  for (const { name, value, node } of found) {
    const read = readModelOnce(name, value, node, ctx);
    if (read.model !== undefined) models.push(read.model);
    if (read.cached === undefined) spans = undefined;
    else seen.push(read.cached);
    spans?.push({ name, start: node.getStart(ctx.source), end: node.end });
  }
  ctx.cache?.retain(seen);
  return { models, spans };
}

/**
 * Reads the model `name: value` written at `node`, or takes it from the cache when an earlier
 * read found the same text at the same column without problems. `cached` is its cache key,
 * absent without a cache or for a model that spreads a mixin (it depends on text outside it,
 * so is never taken from the cache).
 */
export function readModelOnce(
  name: string,
  value: Expression,
  node: Node,
  ctx: ReadContext,
): { model: RawModel | undefined; cached?: { text: string; at: SourceLocation } } {
  const loc = ctx.at(node);
  const cache = ctx.cache;
  const text = cache === undefined ? "" : node.getText(ctx.source);
  if (cache === undefined || text.includes("..."))
    return { model: readModel(name, value, loc, ctx) };
  const key = { text, at: loc };
  const cached = cache.get(text, loc);
  if (cached !== undefined) return { model: cached, cached: key };
  const problems = ctx.problems.size;
  cache.walked.push(name);
  const model = readModel(name, value, loc, ctx);
  if (model !== undefined && ctx.problems.size === problems) cache.set(text, loc, model);
  return { model, cached: key };
}

/** `Book: {...}` or `Book: model({...}, {...})`, or undefined when it is neither (reported). */
function readModel(
  name: string,
  value: Expression,
  loc: SourceLocation,
  ctx: ReadContext,
): RawModel | undefined {
  const expression = unwrap(value);
  if (ts.isObjectLiteralExpression(expression)) {
    const options: RawOptions = { entries: [], unreadable: new Set(), loc };
    return { name, loc, fields: readFields(name, expression, ctx), options };
  }
  if (ts.isCallExpression(expression) && ctx.callees.resolve(expression.expression) === "model") {
    const [fieldsArg, optionsArg, ...extra] = callArguments(expression);
    const fieldsObject = fieldsArg === undefined ? undefined : unwrap(fieldsArg);
    if (fieldsObject === undefined || !ts.isObjectLiteralExpression(fieldsObject)) {
      ctx.problems.add(
        ctx.at(fieldsArg ?? expression),
        `the fields of model \`${name}\` must be an object literal; ${NOT_RUN}`,
      );
      return undefined;
    }
    if (extra[0] !== undefined) {
      ctx.problems.add(
        ctx.at(extra[0]),
        `\`model\` takes the fields and one options object; remove the extra arguments of model \`${name}\``,
      );
    }
    const options = readOptions(optionsArg, expression, `model \`${name}\``, ctx);
    return { name, loc, fields: readFields(name, fieldsObject, ctx), options };
  }
  ctx.problems.add(
    ctx.at(expression),
    `model \`${name}\` must be an object of fields or \`model({ ...fields }, { ...options })\`; ${NOT_RUN}`,
  );
  return undefined;
}

function readFields(model: string, object: ObjectLiteralExpression, ctx: ReadContext): RawField[] {
  const fields: RawField[] = [];
  for (const { name, value, node } of properties(
    object,
    ctx,
    `the fields of model \`${model}\``,
    (n) => `field \`${model}.${n}\``,
    new Set(),
  )) {
    const owner = `\`${model}.${name}\``;
    const call = unwrap(value);
    if (!ts.isCallExpression(call)) {
      ctx.problems.add(
        ctx.at(call),
        `field ${owner} must be a field constructor call like \`fields.CharField({ maxLength: 100 })\`; ${NOT_RUN}`,
      );
      continue;
    }
    const callee = call.expression;
    const resolved = ctx.callees.resolve(callee) ?? callee.getText(ctx.source);
    const constructorName = resolved.replace(/^fields\./, "");
    const args = callArguments(call);
    const loc = ctx.at(node);
    if (!isRelationConstructor(constructorName)) {
      if (args[1] !== undefined) {
        ctx.problems.add(
          ctx.at(args[1]),
          `${owner} passes extra arguments to \`${constructorName}\`; put every option in one object`,
        );
      }
      const options = readOptions(args[0], call, owner, ctx);
      fields.push({ name, constructorName, options, loc });
      continue;
    }
    if (args[2] !== undefined) {
      ctx.problems.add(
        ctx.at(args[2]),
        `${owner} passes extra arguments to \`${constructorName}\`; put every option in one object`,
      );
    }
    const options = readOptions(args[1], call, owner, ctx);
    const targetNode = args[0] === undefined ? undefined : unwrap(args[0]);
    if (
      targetNode === undefined ||
      !(ts.isStringLiteral(targetNode) || ts.isNoSubstitutionTemplateLiteral(targetNode))
    ) {
      ctx.problems.add(
        ctx.at(targetNode ?? call),
        `the target model of ${owner} must be a string literal, like \`fields.${constructorName}("Author")\``,
      );
      fields.push({ name, constructorName, options, loc });
      continue;
    }
    const target = { name: targetNode.text, loc: ctx.at(targetNode) };
    fields.push({ name, constructorName, target, options, loc });
  }
  return fields;
}

/** Reads an options object; `owner` names it in messages (`` `Book.title` `` or ``model `Book` ``). */
function readOptions(
  argument: Expression | undefined,
  call: Node,
  owner: string,
  ctx: ReadContext,
): RawOptions {
  const unreadable = new Set<string>();
  if (argument === undefined) return { entries: [], unreadable, loc: ctx.at(call) };
  const object = unwrap(argument);
  if (!ts.isObjectLiteralExpression(object)) {
    ctx.problems.add(
      ctx.at(object),
      `the options of ${owner} must be an object literal; ${NOT_RUN}`,
    );
    return { entries: [], unreadable, loc: ctx.at(object) };
  }
  const entries: RawOption[] = [];
  for (const { name, value, node } of properties(
    object,
    ctx,
    `the options of ${owner}`,
    (n) => `option \`${n}\` of ${owner}`,
  )) {
    const literal = readLiteral(value, ctx.source);
    if (!literal.ok) {
      unreadable.add(name);
      const reason = literal.reason ?? `must be a literal; ${NOT_RUN}`;
      ctx.problems.add(ctx.at(literal.node), `option \`${name}\` of ${owner} ${reason}`);
      continue;
    }
    entries.push({ name, value: literal.value, loc: ctx.at(node) });
  }
  return { entries, unreadable, loc: ctx.at(object) };
}
