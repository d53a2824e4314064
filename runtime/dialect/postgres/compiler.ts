/**
 * Postgres: `$n` placeholders, `= ANY($1)` for IN, LIKE/ILIKE with escaping for substring
 * lookups, EXTRACT at UTC, `FOR UPDATE OF`.
 */
import type { BuiltinNode } from "../../ast/builtin.js";
import type { CastNode } from "../../ast/cast.js";
import type { ComparisonNode, ComparisonOp } from "../../ast/comparison.js";
import type { ExtractNode } from "../../ast/extract.js";
import type { FunctionNode } from "../../ast/function.js";
import type { InNode } from "../../ast/in.js";
import type { JsonNode } from "../../ast/json.js";
import type { MatchNode } from "../../ast/match.js";
import type { ExpressionNode } from "../../ast/node.js";
import type { ParamNode } from "../../ast/param.js";
import type { LockClause } from "../../ast/select.js";
import { escapeLike, QueryCompiler } from "../../compiler/compiler.js";
import { floatRound, scaleOf } from "../float-round.js";
import { isFractionParam, isIntegerOperand } from "../integer-operand.js";
import type { FieldKind } from "../../model/meta.js";

/** The Postgres type a value of `kind` is cast to. */
const PG_TYPES: Record<FieldKind, string> = {
  int: "INTEGER",
  smallint: "SMALLINT",
  bigint: "BIGINT",
  intEnum: "INTEGER",
  float: "DOUBLE PRECISION",
  decimal: "NUMERIC",
  char: "TEXT",
  text: "TEXT",
  charEnum: "TEXT",
  boolean: "BOOLEAN",
  datetime: "TIMESTAMPTZ",
  date: "DATE",
  time: "TIME",
  uuid: "UUID",
  json: "JSONB",
  binary: "BYTEA",
};
import type { SqlWriter } from "../../compiler/sql-writer.js";
import { postgresDatePart } from "./date-parts.js";
import { postgresDdl } from "./ddl.js";
import { postgresJson } from "./json.js";

/** The LIKE pattern matching strings that contain / start with / end with / equal `value`. */
function likePattern(op: ComparisonOp, value: string): string {
  const escaped = escapeLike(value);
  if (op === "contains" || op === "icontains") return `%${escaped}%`;
  if (op === "startswith" || op === "istartswith") return `${escaped}%`;
  if (op === "endswith" || op === "iendswith") return `%${escaped}`;
  return escaped;
}

export class PostgresCompiler extends QueryCompiler {
  placeholder(index: number): string {
    return `$${index}`;
  }

  /**
   * The first row's values are cast to their columns' types (without length or scale, so the
   * column's own assignment checks them): the other rows' parameters take the types from them.
   */
  protected override firstRowCell(value: ParamNode): string {
    const field = value.column?.field;
    if (field === undefined) return this.expr(value);
    const type = postgresDdl.columnType(field).replace(/\(.*\)$/, "");
    return `CAST(${this.expr(value)} AS ${type})`;
  }

  protected distinct(left: string, right: string): string {
    return `${left} IS DISTINCT FROM ${right}`;
  }

  /**
   * A bound fraction beside an integer is a float: Postgres would give the parameter the
   * integer's type and refuse `2.5` ("invalid input syntax for type integer"), where SQLite
   * and MariaDB compute `7 * 2.5` as 17.5.
   */
  protected override arithmeticOperand(node: ExpressionNode, other: ExpressionNode): string {
    return isFractionParam(node) && isIntegerOperand(other)
      ? `CAST(${this.expr(node)} AS DOUBLE PRECISION)`
      : this.expr(node);
  }

  protected inList(node: InNode): string {
    const operand = this.expr(node.operand);
    const test = `${operand} = ANY(${this.bindValue({ ...node, value: node.values })})`;
    return node.negated ? `(${operand} IS NULL OR NOT (${test}))` : test;
  }

  protected substring(op: ComparisonOp, node: ComparisonNode): string {
    const like = op.startsWith("i") ? "ILIKE" : "LIKE";
    const pattern = this.bindValue(this.pattern(node), (v) => likePattern(op, v as string));
    return `${this.expr(node.left)} ${like} ${pattern} ESCAPE '\\'`;
  }

  protected extract(node: ExtractNode): string {
    return postgresDatePart(node, this.expr(node.operand));
  }

  /**
   * `~` / `~*` with the pattern in the canonical spelling (query/regex-pattern.ts); search
   * compares words only (query/search-words.ts), the 'simple' configuration: no stemming,
   * no stop words, as on SQLite.
   */
  protected match(node: MatchNode): string {
    const operand = this.expr(node.operand);
    const pattern = this.expr(node.pattern);
    if (node.op === "search")
      return `to_tsvector('simple', regexp_replace(${operand}, '[^[:alnum:]]+', ' ', 'g')) @@ plainto_tsquery('simple', ${pattern})`;
    return `${operand} ${node.op === "regex" ? "~" : "~*"} ${pattern}`;
  }

  protected json(node: JsonNode): string {
    return postgresJson(node, this.#writer);
  }

  readonly #writer: SqlWriter = { expr: (n) => this.expr(n), bind: (v) => this.bind(v) };

  /** AVG of integers is NUMERIC on Postgres; cast so it decodes as a float everywhere. */
  protected override call(node: FunctionNode): string {
    const distinct = node.distinct ? "DISTINCT " : "";
    if (node.name === "string_agg") {
      const [value, separator] = node.args.map((a) => this.expr(a));
      return `string_agg(${distinct}${value}, ${separator} ORDER BY ${value})${this.filter(node)}`;
    }
    if (node.name === "array_agg") {
      const value = this.expr(node.args[0]!);
      return `COALESCE(jsonb_agg(${distinct}${value} ORDER BY ${value})${this.filter(node)}, '[]'::jsonb)`;
    }
    const sql = super.call(node);
    return node.name === "avg" ? `CAST(${sql} AS DOUBLE PRECISION)` : sql;
  }

  protected cast(node: CastNode): string {
    const type =
      node.to === "decimal" && node.digits !== undefined
        ? `NUMERIC(${Math.trunc(node.digits)}, ${Math.trunc(node.places ?? 0)})`
        : PG_TYPES[node.to];
    return `CAST(${this.expr(node.operand)} AS ${type})`;
  }

  protected builtin(node: BuiltinNode): string {
    const arg = (i: number): string => this.expr(node.args[i]!);
    const num = (i: number): string => `CAST(${arg(i)} AS NUMERIC)`;
    const dbl = (i: number): string => `CAST(${arg(i)} AS DOUBLE PRECISION)`;
    switch (node.name) {
      case "concat":
        return `concat(${node.args.map((a) => this.expr(a)).join(", ")})`;
      case "trunc":
      case "substr":
      case "left":
      case "right":
      case "replace":
      case "abs":
        return `${node.name}(${node.args.map((a) => this.expr(a)).join(", ")})`;
      case "now":
        // Milliseconds, as every datetime yara stores: a value read back compares equal.
        return `date_trunc('milliseconds', now())`;
      case "round":
        return node.float ? this.roundFloat(node) : `round(${arg(0)}, ${arg(1)})`;
      case "mod":
        return node.float
          ? `CAST(mod(${num(0)}, NULLIF(${num(1)}, 0)) AS DOUBLE PRECISION)`
          : node.scale !== undefined
            ? `mod(${num(0)}, NULLIF(${num(1)}, 0))`
            : `mod(${arg(0)}, NULLIF(${arg(1)}, 0))`;
      case "power":
        return `(CASE WHEN (${dbl(0)} = 0 AND ${dbl(1)} < 0) OR (${dbl(0)} < 0 AND ${dbl(1)} <> trunc(${dbl(1)})) THEN NULL ELSE power(${dbl(0)}, ${dbl(1)}) END)`;
    }
  }

  /** See floatRound(): the same double arithmetic on both databases. */
  protected roundFloat(node: BuiltinNode): string {
    return floatRound(
      () => `CAST(${this.expr(node.args[0]!)} AS DOUBLE PRECISION)`,
      () => `CAST(${this.bind(scaleOf(node))} AS DOUBLE PRECISION)`,
    );
  }

  protected override lock(lock: LockClause): string {
    const of = lock.of === undefined ? "" : ` OF ${this.quote(lock.of)}`;
    return ` FOR UPDATE${of}${lock.skipLocked ? " SKIP LOCKED" : lock.nowait ? " NOWAIT" : ""}`;
  }
}
