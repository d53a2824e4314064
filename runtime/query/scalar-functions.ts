/**
 * Text and math functions beyond Lower/Upper/Length/Trim/Coalesce, each the same on both
 * databases (see ast/builtin.ts for how): `Concat`, `Substr`, `Left`, `Right`, `Replace`,
 * `Abs`, `Round`, `Now`, `Extract`, and `Value` (a literal operand, bound).
 *
 * A string argument is a field path, as in `Lower("name")`; a literal text is `Value("…")`.
 * Positions and lengths are integers, bound as parameters.
 */
import { builtin, type BuiltinName } from "../ast/builtin.js";
import { cast } from "../ast/cast.js";
import { extract, type DatePart } from "../ast/extract.js";
import type { ExpressionNode } from "../ast/node.js";
import { param } from "../ast/param.js";
import type { Param } from "../driver/driver.js";
import { ValidationError } from "../errors.js";
import type { FieldKind, ModelMeta } from "../model/meta.js";
import { Expression, type ExpressionTerm } from "./f.js";
import { PARTS_OF } from "./date-parts.js";
import { resolvePath } from "./path.js";
import { standIn, type TermContext, type TermSpec } from "./term-spec.js";

type Arg = string | Expression<unknown>;

/** The integer parts Extract takes (the dialects write them into SQL: never a string from outside). */
export type ExtractPart = Exclude<DatePart, "date" | "time">;

const TEXT = new Set<FieldKind>(["char", "text", "charEnum"]);
/** What Concat prints the same on both databases. */
const PRINTABLE = new Set<FieldKind>([
  ...TEXT,
  "int",
  "smallint",
  "bigint",
  "intEnum",
  "decimal",
  "uuid",
]);
const NUMERIC = new Set<FieldKind>(["int", "smallint", "bigint", "intEnum", "float", "decimal"]);

function termOfArg(arg: Arg): ExpressionTerm {
  return typeof arg === "string" ? { kind: "field", name: arg } : arg.term;
}

function refuse(meta: ModelMeta | undefined, why: string): never {
  throw new ValidationError(meta ? `${meta.name}: ${why}` : why, meta?.name, undefined);
}

/** A non-negative (or, with `min: 1`, positive) integer argument. */
function count(fn: string, what: string, n: unknown, min = 0): number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min)
    refuse(undefined, `${fn}(): ${what} must be an integer >= ${min}`);
  return n as number;
}

function text(fn: string, what: string, s: unknown): string {
  if (typeof s !== "string") refuse(undefined, `${fn}(): ${what} must be a string`);
  return s as string;
}

/** A function of `args` (terms) and bound `extra` values, its result kind and checks. */
class ScalarSpec implements TermSpec {
  constructor(
    readonly name: string,
    readonly fn: BuiltinName,
    readonly children: readonly ExpressionTerm[],
    readonly extra: readonly Param[],
    readonly kinds: ReadonlySet<FieldKind>,
    readonly result: (operand: FieldKind | undefined) => FieldKind,
  ) {}

  resultKind(_meta: ModelMeta, kindOf: (term: ExpressionTerm) => FieldKind): FieldKind {
    const first = this.children[0];
    return this.result(first === undefined ? undefined : kindOf(first));
  }

  build(ctx: TermContext): ExpressionNode {
    const meta = ctx.scope.model;
    const args = this.children.map((t) => {
      const kind = ctx.kindOf(t);
      if (!this.kinds.has(kind)) refuse(meta, `${this.name}() does not take a ${kind} value`);
      const node = ctx.node(t, standIn(this.name, kind));
      // A bound literal has no type on Postgres: say it is text.
      return t.kind === "value" ? cast(node, "text") : node;
    });
    const first = this.children[0];
    const kind = this.result(first === undefined ? undefined : ctx.kindOf(first));
    const scale = kind === "decimal" && first ? decimalPlaces(meta, first, this.name) : undefined;
    return builtin(this.fn, [...args, ...this.extra.map((v) => param(v))], {
      scale,
      float: kind === "float",
    });
  }
}

/** The places of a decimal operand: a decimal field's (a computed decimal: Round it first). */
function decimalPlaces(meta: ModelMeta, term: ExpressionTerm, name: string): number {
  if (term.kind === "field") {
    const field = resolvePath(meta, term.name, false).field;
    if (field.decimalPlaces !== undefined) return field.decimalPlaces;
  }
  return refuse(
    meta,
    `${name}() of a computed decimal needs its places: apply Round(x, places) first`,
  );
}

const spec = (s: TermSpec): Expression<never> => new Expression({ kind: "spec", spec: s });

/** A literal operand, bound: `Concat("name", Value(" "), "email")`. */
export function Value<V extends string | number>(
  value: V,
): Expression<V extends string ? string : number> {
  const ok = typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
  if (!ok) refuse(undefined, "Value(): expects a string or a finite number");
  return new Expression({ kind: "value", value });
}

/** The text of every argument joined; a NULL argument counts as `''` (as in Django). */
export function Concat(...args: [Arg, Arg, ...Arg[]]): Expression<string> {
  if (args.length < 2) refuse(undefined, "Concat(): needs at least two arguments");
  return spec(new ScalarSpec("Concat", "concat", args.map(termOfArg), [], PRINTABLE, () => "text"));
}

/** `length` characters of `x` from character `from` (1-based), or to the end. */
export function Substr(x: Arg, from: number, length?: number): Expression<string | null> {
  const extra = [count("Substr", "from", from, 1)];
  if (length !== undefined) extra.push(count("Substr", "length", length));
  return spec(new ScalarSpec("Substr", "substr", [termOfArg(x)], extra, TEXT, () => "text"));
}

/** The first `n` characters of `x`. */
export function Left(x: Arg, n: number): Expression<string | null> {
  return spec(
    new ScalarSpec("Left", "left", [termOfArg(x)], [count("Left", "n", n)], TEXT, () => "text"),
  );
}

/** The last `n` characters of `x`. */
export function Right(x: Arg, n: number): Expression<string | null> {
  return spec(
    new ScalarSpec("Right", "right", [termOfArg(x)], [count("Right", "n", n)], TEXT, () => "text"),
  );
}

/** `x` with every `from` replaced by `to` (case-sensitive; an empty `from` changes nothing). */
export function Replace(x: Arg, from: string, to = ""): Expression<string | null> {
  const extra = [text("Replace", "from", from), text("Replace", "to", to)];
  return spec(new ScalarSpec("Replace", "replace", [termOfArg(x)], extra, TEXT, () => "text"));
}

/** The absolute value, of the operand's type. */
export function Abs<V = number>(x: Arg): Expression<V | null> {
  return spec(new ScalarSpec("Abs", "abs", [termOfArg(x)], [], NUMERIC, (k) => k ?? "float"));
}

/**
 * `x` rounded to `places` (0 to 15) half away from zero on both databases (Postgres rounds
 * floats half to even: yara rounds them as NUMERIC). Integers are returned as they are; a
 * decimal keeps `places` places (`"2.50"` → `Round("price", 1)` → `"2.5"`).
 */
export function Round<V = number>(x: Arg, places = 0): Expression<V | null> {
  if (!Number.isSafeInteger(places) || places < 0 || places > 15)
    refuse(undefined, "Round(): places must be an integer from 0 to 15");
  const term = termOfArg(x);
  const s = new ScalarSpec("Round", "round", [term], [places], NUMERIC, (k) => k ?? "float");
  return spec({
    name: "Round",
    children: s.children,
    resultKind: (meta, kindOf) => s.resultKind(meta, kindOf),
    build(ctx: TermContext): ExpressionNode {
      const kind = ctx.kindOf(term);
      if (kind === "int" || kind === "smallint" || kind === "bigint" || kind === "intEnum")
        return ctx.node(term);
      if (kind !== "decimal") return s.build(ctx);
      return builtin("round", [ctx.node(term), param(places)], { scale: places });
    },
  });
}

/** The current instant, to the millisecond (the transaction's start on Postgres). */
export function Now(): Expression<Date> {
  return spec(new ScalarSpec("Now", "now", [], [], new Set(), () => "datetime"));
}

/**
 * A part of a date, datetime (at UTC) or time as an integer, numbered as the `__year`, `__week`,
 * `__week_day`, … lookups number it (ISO weeks; `week_day` 1 = Sunday, `iso_week_day` 1 = Monday).
 */
export function Extract(x: Arg, part: ExtractPart): Expression<number | null> {
  const known = PARTS_OF.datetime!;
  const name: string = part;
  if (typeof part !== "string" || !known.has(name) || name === "date" || name === "time")
    refuse(
      undefined,
      `Extract(): the part must be one of ${[...known].filter((p) => p !== "date" && p !== "time").join(", ")}`,
    );
  const term = termOfArg(x);
  return spec({
    name: "Extract",
    children: [term],
    resultKind: () => "int",
    build(ctx: TermContext): ExpressionNode {
      const kind = ctx.kindOf(term);
      if (!PARTS_OF[kind]?.has(part))
        refuse(
          ctx.scope.model,
          `Extract() of "${part}" needs a field that has it, not a ${kind} value`,
        );
      return extract(part, ctx.node(term), kind);
    },
  });
}
