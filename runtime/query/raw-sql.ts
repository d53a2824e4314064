/**
 * `RawSQL(sql, params, output?)`: an expression written in SQL, with its own bound parameters.
 * Placeholders are `?` on every database (the compiler renumbers them `$n` on Postgres); a `?`
 * inside a '…' string or a "…" identifier is text, and `??` writes one literal `?` (Postgres'
 * jsonb `?` operator). The number of placeholders must equal `params.length`. `output` names
 * the kind of its value (`"integer"`, `"text"`, … as in Cast); it is needed to select it.
 */
import { rawExpression } from "../ast/raw-expression.js";
import { ValidationError } from "../errors.js";
import type { FieldKind } from "../model/meta.js";
import { checkRawParams } from "../model/raw-params.js";
import { type CastType, type CastValue, castTarget } from "./cast.js";
import { Expression, type ExpressionTerm } from "./f.js";
import type { TermSpec } from "./term-spec.js";

/** `sql` split at its placeholders (see above). */
export function splitPlaceholders(sql: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote !== undefined) {
      current += c;
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      current += c;
    } else if (c === "?" && sql[i + 1] === "?") {
      current += "?";
      i++;
    } else if (c === "?") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  if (quote !== undefined)
    throw new ValidationError(
      `RawSQL(): unterminated ${quote} quote in the SQL`,
      undefined,
      undefined,
    );
  parts.push(current);
  return parts;
}

class RawSpec implements TermSpec {
  readonly name = "RawSQL";
  readonly children: readonly ExpressionTerm[] = [];
  constructor(
    readonly parts: readonly string[],
    readonly params: readonly (string | number | bigint | boolean | null | Uint8Array)[],
    readonly output: FieldKind | undefined,
  ) {}

  resultKind(): FieldKind {
    if (this.output === undefined)
      throw new ValidationError(
        'RawSQL(): selecting it needs its output type: RawSQL(sql, params, "integer")',
        undefined,
        undefined,
      );
    return this.output;
  }

  build() {
    return rawExpression(this.parts, this.params);
  }
}

/** An expression in SQL with `?` placeholders bound to `params`; `output` types its value. */
export function RawSQL<O extends CastType | undefined = undefined>(
  sql: string,
  params: readonly (string | number | bigint | boolean | null | Uint8Array)[] = [],
  output?: O,
): Expression<O extends CastType ? CastValue<O> | null : unknown> {
  const checked = checkRawParams("RawSQL", sql, params);
  if (checked.some((p) => Array.isArray(p)))
    throw new ValidationError("RawSQL(): a parameter may not be an array", undefined, undefined);
  const parts = splitPlaceholders(sql);
  if (parts.length - 1 !== checked.length)
    throw new ValidationError(
      `RawSQL(): the SQL has ${parts.length - 1} placeholder(s) but ${checked.length} parameter(s) were given`,
      undefined,
      undefined,
    );
  const kind = output === undefined ? undefined : castTarget(output).kind;
  return new Expression({
    kind: "spec",
    spec: new RawSpec(parts, checked as RawSpec["params"], kind),
  });
}
