/**
 * Postgres: `$n` placeholders, `= ANY($1)` for IN, LIKE/ILIKE with escaping for substring
 * lookups, EXTRACT at UTC, `FOR UPDATE OF`.
 */
import type { ComparisonNode, ComparisonOp } from "../ast/comparison.js";
import type { ExtractNode } from "../ast/extract.js";
import type { FunctionNode } from "../ast/function.js";
import type { InNode } from "../ast/in.js";
import type { JsonNode } from "../ast/json.js";
import type { MatchNode } from "../ast/match.js";
import type { LockClause } from "../ast/select.js";
import { escapeLike, QueryCompiler } from "../compiler/compiler.js";
import type { SqlWriter } from "../compiler/sql-writer.js";
import { postgresDatePart } from "./postgres-date-parts.js";
import { postgresJson } from "./postgres-json.js";

/** The LIKE pattern matching strings that contain / start with / end with / equal `value`. */
function likePattern(op: ComparisonOp, value: string): string {
  const escaped = escapeLike(value);
  if (op === "contains" || op === "icontains") return `%${escaped}%`;
  if (op === "startswith" || op === "istartswith") return `${escaped}%`;
  if (op === "endswith" || op === "iendswith") return `%${escaped}`;
  return escaped;
}

export class PostgresCompiler extends QueryCompiler {
  readonly dialect = "postgres" as const;

  protected placeholder(index: number): string {
    return `$${index}`;
  }

  protected distinct(left: string, right: string): string {
    return `${left} IS DISTINCT FROM ${right}`;
  }

  protected inList(node: InNode): string {
    const operand = this.expr(node.operand);
    const test = `${operand} = ANY(${this.bind(node.values, this.fromSlot(node.slot))})`;
    return node.negated ? `(${operand} IS NULL OR NOT (${test}))` : test;
  }

  protected substring(op: ComparisonOp, node: ComparisonNode): string {
    const { value, slot } = this.pattern(node);
    const like = op.startsWith("i") ? "ILIKE" : "LIKE";
    const source = this.fromSlot(slot, (v) => likePattern(op, v as string));
    return `${this.expr(node.left)} ${like} ${this.bind(likePattern(op, value), source)} ESCAPE '\\'`;
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
    const sql = super.call(node);
    return node.name === "avg" ? `CAST(${sql} AS DOUBLE PRECISION)` : sql;
  }

  protected override lock(lock: LockClause): string {
    const of = lock.of === undefined ? "" : ` OF ${this.quote(lock.of)}`;
    return ` FOR UPDATE${of}${lock.skipLocked ? " SKIP LOCKED" : lock.nowait ? " NOWAIT" : ""}`;
  }
}
