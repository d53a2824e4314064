/**
 * SQLite: `?` placeholders, `IN (SELECT value FROM json_each(?))` for IN (one parameter, so
 * any list length works), `instr`/`substr` for substring lookups (on `yara_lower()` of both
 * sides for the insensitive ones), strftime for date parts, and explicit NULLS FIRST/LAST so
 * NULLs sort as on Postgres. Decimals are stored as canonical text, so ordering, comparisons
 * with computed values and arithmetic cast them to REAL, and a computed decimal (ROUND, a cast,
 * an UPDATE expression) is turned back into canonical text. Min/Max/Sum/Avg of a decimal column
 * are exact: `yara_decimal_min`/`_max` return a stored text, `yara_decimal_sum` the exact sum
 * (at the field's places, which every stored value has) and `yara_decimal_avg` the double
 * nearest to the exact average — aggregates every SQLite driver registers
 * (decimal-aggregates.ts), where SQLite's own would sum REALs.
 */
import type { ArithmeticNode } from "../../ast/arithmetic.js";
import type { BuiltinNode } from "../../ast/builtin.js";
import type { CastNode } from "../../ast/cast.js";
import type { ComparisonNode, ComparisonOp } from "../../ast/comparison.js";
import type { ExtractNode } from "../../ast/extract.js";
import type { FunctionNode } from "../../ast/function.js";
import type { InNode } from "../../ast/in.js";
import type { JsonNode } from "../../ast/json.js";
import type { MatchNode } from "../../ast/match.js";
import type { ExpressionNode } from "../../ast/node.js";
import type { OrderNode } from "../../ast/order.js";
import type { Assignment } from "../../ast/update.js";
import { QueryCompiler } from "../../compiler/compiler.js";
import type { SqlWriter } from "../../compiler/sql-writer.js";
import type { Param } from "../../driver/driver.js";
import { floatRound, scaleOf } from "../float-round.js";
import { isIntegerOperand, isNonZeroNumberParam } from "../integer-operand.js";
import { sqliteDatePart } from "./date-parts.js";
import {
  YARA_DECIMAL_AVG,
  YARA_DECIMAL_MAX,
  YARA_DECIMAL_MIN,
  YARA_DECIMAL_SUM,
} from "./decimal-aggregates.js";
import {
  YARA_INTEGER,
  YARA_IREGEXP,
  YARA_LOWER,
  YARA_REGEXP,
  YARA_SEARCH,
  YARA_RAISE,
  YARA_UPPER,
} from "./functions.js";
import { sqliteJson } from "./json.js";

const MATCH = { regex: YARA_REGEXP, iregex: YARA_IREGEXP, search: YARA_SEARCH } as const;

/** JSON text of an IN list; bigints are written exactly (JSON.stringify cannot). */
function jsonList(values: readonly Param[]): string {
  const parts = values.map((v) => {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "boolean") return v ? "1" : "0";
    if (v instanceof Uint8Array || Array.isArray(v))
      throw new TypeError("IN lists hold scalars only");
    return JSON.stringify(v);
  });
  return `[${parts.join(",")}]`;
}

export class SqliteCompiler extends QueryCompiler {
  placeholder(_index: number): string {
    return "?";
  }

  protected distinct(left: string, right: string): string {
    return `${left} IS NOT ${right}`;
  }

  protected inList(node: InNode): string {
    // A computed decimal (see comparison) is in the list as a number.
    const numeric = isComputedDecimal(node.operand);
    const operand = numeric ? `CAST(${this.expr(node.operand)} AS REAL)` : this.expr(node.operand);
    const values = this.bindValue({ ...node, value: node.values }, (v) =>
      jsonList(v as readonly Param[]),
    );
    const list = `(SELECT ${numeric ? "CAST(value AS REAL)" : "value"} FROM json_each(${values}))`;
    return node.negated
      ? `(${operand} IS NULL OR ${operand} NOT IN ${list})`
      : `${operand} IN ${list}`;
  }

  /**
   * instr/substr rather than LIKE: no escaping, and no "pattern too complex" past SQLite's
   * 50 000-byte LIKE limit. The i-variants compare `yara_lower()` of both sides, which folds
   * every letter as Postgres does (sqlite-functions.ts). Parameters are bound in text order.
   */
  protected substring(op: ComparisonOp, node: ComparisonNode): string {
    const pattern = this.pattern(node);
    const fold = op.startsWith("i");
    const left = (): string =>
      fold ? `${YARA_LOWER}(${this.expr(node.left)})` : this.expr(node.left);
    const bound = (): string => this.bindValue(pattern);
    const right = (): string => (fold ? `${YARA_LOWER}(${bound()})` : bound());
    switch (op) {
      case "contains":
      case "icontains":
        return `instr(${left()}, ${right()}) > 0`;
      case "startswith":
      case "istartswith":
        return `substr(${left()}, 1, length(${right()})) = ${right()}`;
      case "endswith":
      case "iendswith": {
        const l = left();
        return `substr(${l}, length(${l}) - length(${right()}) + 1) = ${right()}`;
      }
      default:
        return `${left()} = ${right()}`;
    }
  }

  protected extract(node: ExtractNode): string {
    return sqliteDatePart(node, () => this.expr(node.operand));
  }

  /** Bound values already have their storage form; anything else gets SQLite's type affinity. */
  protected cast(node: CastNode): string {
    const operand = node.operand;
    if (operand.kind === "param") return this.expr(operand);
    switch (node.to) {
      case "int":
      case "smallint":
      case "bigint":
      case "intEnum":
      case "boolean":
        return `CAST(${this.expr(operand)} AS INTEGER)`;
      case "float":
        return `CAST(${this.expr(operand)} AS REAL)`;
      case "decimal":
        return node.places === undefined
          ? `CAST(${this.expr(operand)} AS REAL)`
          : this.decimalCast(operand, node.places, node.digits);
      case "char":
      case "text":
      case "charEnum":
        return `CAST(${this.expr(operand)} AS TEXT)`;
      default:
        return this.expr(operand);
    }
  }

  /**
   * `Cast(x, "decimal(digits, places)")`: the canonical text, or an error when the value rounded
   * does not fit, as Postgres' "numeric field overflow" (SQLite would return "1000.0" for a
   * decimal(4, 1)). The operand is compiled once per use, binding its values again in order.
   */
  private decimalCast(operand: ExpressionNode, places: number, digits: number | undefined): string {
    const p = Math.trunc(places);
    if (digits === undefined) return decimalText(this.expr(operand), p, this.expr(operand));
    const whole = Math.trunc(digits) - p;
    const message = `numeric field overflow: a field with precision ${digits}, scale ${p} must round to an absolute value less than 10^${whole}`;
    // In text order: the test's operand, then the text's two.
    const test = `abs(round(${this.expr(operand)}, ${p})) >= 1e${whole}`;
    const text = decimalText(this.expr(operand), p, this.expr(operand));
    return `(CASE WHEN ${test} THEN ${YARA_RAISE}('${message}') ELSE ${text} END)`;
  }

  protected builtin(node: BuiltinNode): string {
    const decimal = node.scale !== undefined;
    // Decimals are text: computed as REAL, then turned back into canonical text of `scale` places.
    const arg = (i: number): string =>
      decimal ? `CAST(${this.expr(node.args[i]!)} AS REAL)` : this.expr(node.args[i]!);
    const text = (sql: () => string): string =>
      decimal ? decimalText(sql(), node.scale!, sql()) : sql();
    switch (node.name) {
      case "concat":
        return `(${node.args.map((a) => `COALESCE(CAST(${this.expr(a)} AS TEXT), '')`).join(" || ")})`;
      case "substr":
        return `substr(${node.args.map((a) => this.expr(a)).join(", ")})`;
      case "left":
        return `substr(${arg(0)}, 1, ${arg(1)})`;
      case "right":
        // max(…) + 1: n = 0 gives '' and n past the length the whole text, as Postgres' right().
        return `substr(${arg(0)}, max(length(${arg(0)}) - ${arg(1)}, 0) + 1)`;
      case "replace":
        return `replace(${arg(0)}, ${arg(1)}, ${arg(2)})`;
      case "abs":
        return text(() => `abs(${arg(0)})`);
      case "trunc":
        return this.expr(node.args[0]!);
      case "now":
        return `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
      case "round":
        if (decimal) return decimalText(arg(0), node.scale!, arg(0));
        return floatRound(
          () => `CAST(${arg(0)} AS REAL)`,
          () => this.bind(scaleOf(node)),
        );
      case "mod":
        // Integers: SQLite's % truncates as Postgres' mod(); anything else: fmod (math functions).
        return text(() =>
          node.float || decimal
            ? `mod(${arg(0)}, NULLIF(${arg(1)}, 0))`
            : `(${arg(0)} % NULLIF(${arg(1)}, 0))`,
        );
      case "power": {
        const x = (): string => `CAST(${this.expr(node.args[0]!)} AS REAL)`;
        const y = (): string => `CAST(${this.expr(node.args[1]!)} AS REAL)`;
        return `(CASE WHEN (${x()} = 0 AND ${y()} < 0) OR (${x()} < 0 AND ${y()} <> trunc(${y()})) THEN NULL ELSE pow(${x()}, ${y()}) END)`;
      }
    }
  }

  /** Functions every SQLite driver registers (sqlite-functions.ts); NULL text gives NULL. */
  protected match(node: MatchNode): string {
    return `${MATCH[node.op]}(${this.expr(node.operand)}, ${this.expr(node.pattern)})`;
  }

  protected json(node: JsonNode): string {
    return sqliteJson(node, this.#writer);
  }

  readonly #writer: SqlWriter = { expr: (n) => this.expr(n), bind: (v) => this.bind(v) };

  /**
   * LIMIT and OFFSET as integer literals: the query's shape key fixes them (a cached shape's SQL
   * is the SQL of one count), and SQLite plans with a literal LIMIT where it cannot with a bound
   * one. The counts are checked safe integers when set (query/state.ts); anything else is bound,
   * as before. SQLite has no OFFSET without LIMIT: LIMIT -1 stands for "no limit".
   */
  protected override limitOffset(limit: number | undefined, offset: number | undefined): string {
    if (limit === undefined && offset === undefined) return "";
    let sql = ` LIMIT ${limit === undefined ? "-1" : this.#count(limit)}`;
    if (offset !== undefined) sql += ` OFFSET ${this.#count(offset)}`;
    return sql;
  }

  #count(n: number): string {
    return Number.isSafeInteger(n) ? String(n) : this.bind(n, "shape");
  }

  protected override ordered(node: ExpressionNode, other: ExpressionNode): string {
    const decimal = isDecimal(node) || isDecimal(other);
    return decimal ? `CAST(${this.expr(node)} AS REAL)` : this.compared(node);
  }

  /**
   * A bound value compared is written `+?`: the same value, with no affinity, as `?`, but one
   * the query planner cannot look into. SQLite (built with STAT4, as both drivers' are) plans
   * `indexed_column = ?` from the bound value once ANALYZE has written statistics — and
   * `PRAGMA optimize`, which yara runs, writes them — so a cached statement is parsed and planned
   * again each time that value changes: 12 µs of a 40 µs join of ten rows on the bench tables.
   * The native engine turns this off per connection (SQLITE_DBCONFIG_ENABLE_QPSG); better-sqlite3
   * has no way to, and `+?` gives it the native engine's plans: from the statistics' averages,
   * the same whatever value is bound. Indexes are used as before.
   */
  protected override compared(node: ExpressionNode): string {
    const sql = this.expr(node);
    return node.kind === "param" && sql === "?" ? "+?" : sql;
  }

  protected override order(node: OrderNode): string {
    const expr = isDecimalValue(node.expr)
      ? `CAST(${this.expr(node.expr)} AS REAL)`
      : this.expr(node.expr);
    // SQLite sorts NULL first ascending; spell out Postgres' order so both agree.
    const nulls = node.nullable ? (node.descending ? " NULLS FIRST" : " NULLS LAST") : "";
    return `${expr}${node.descending ? " DESC" : " ASC"}${nulls}`;
  }

  /**
   * Decimals (text) compute as REAL. A bound whole number beside an integer is bound as an
   * integer: SQLite binds JavaScript numbers as REAL, and `(small + 1.0) / 4` would not divide
   * as integers as it does on Postgres.
   */
  protected override arithmeticOperand(node: ExpressionNode, other: ExpressionNode): string {
    if (isDecimal(node)) return `CAST(${this.expr(node)} AS REAL)`;
    if (node.kind === "param" && isIntegerOperand(node) && isIntegerOperand(other))
      return `CAST(${this.expr(node)} AS INTEGER)`;
    return this.expr(node);
  }

  /**
   * Division as on Postgres. SQLite's own gives NULL for `x / 0`, which an UPDATE would write
   * over the data: a divisor that may be zero is tested, and zero raises "division by zero"
   * (`yara_raise()`, which runs only in that branch); a bound number that is not
   * zero needs no test. Integers divide as integers (`7 / 2` is 3): see arithmeticOperand.
   */
  protected override arithmetic(node: ArithmeticNode): string {
    if (node.op !== "/" || isNonZeroNumberParam(node.right)) return super.arithmetic(node);
    const left = this.arithmeticOperand(node.left, node.right);
    // The divisor twice (a second bound value where it is one): CASE reads its operand again.
    const tested = this.arithmeticOperand(node.right, node.left);
    const divisor = this.arithmeticOperand(node.right, node.left);
    return `(${left} / CASE WHEN ${tested} = 0 THEN ${YARA_RAISE}('division by zero') ELSE ${divisor} END)`;
  }

  protected override call(node: FunctionNode): string {
    if (node.name === "lower" || node.name === "upper") {
      const name = node.name === "lower" ? YARA_LOWER : YARA_UPPER;
      return `${name}(${node.args.map((a) => this.expr(a)).join(", ")})`;
    }
    if (node.name === "string_agg") {
      const [value, separator] = node.args.map((a) => this.expr(a));
      return `group_concat(${value}, ${separator} ORDER BY ${value})${this.filter(node)}`;
    }
    if (node.name === "array_agg") {
      const value = this.expr(node.args[0]!);
      const distinct = node.distinct ? "DISTINCT " : "";
      return `COALESCE(json_group_array(${distinct}${value} ORDER BY ${value} NULLS LAST)${this.filter(node)}, '[]')`;
    }
    if (node.name === "round")
      return decimalText(this.expr(node.args[0]!), node.scale ?? 0, this.expr(node.args[0]!));
    // A decimal column's (canonical text) Min/Max/Sum/Avg: exact, by the aggregates every
    // SQLite driver registers (decimal-aggregates.ts). Min/Max are stored values, Sum the exact
    // sum at the field's places; Avg a REAL, the double nearest to the exact average.
    const aggregate = decimalAggregate(node);
    if (aggregate === undefined) return super.call(node);
    const distinct = node.distinct ? "DISTINCT " : "";
    return `${aggregate}(${distinct}${this.expr(node.args[0]!)})${this.filter(node)}`;
  }

  protected override assignment(a: Assignment): string {
    // An integer computed: checked against the field's range, as Postgres' typed columns check
    // it (SQLite would store 32768 in a smallint, and turn a 64-bit overflow into a REAL).
    if (a.integer !== undefined && a.value.kind !== "param") {
      const { min, max, field } = a.integer;
      return `${YARA_INTEGER}(${this.expr(a.value)}, ${integerLiteral(min)}, ${integerLiteral(max)}, '${field.replaceAll("'", "''")}')`;
    }
    // A bound value is canonical already, a decimal column too, and an exact aggregate of one
    // at the field's places (a REAL would lose its digits); anything computed is re-canonicalised.
    const computed =
      a.value.kind !== "param" &&
      !isDecimal(a.value) &&
      !(a.decimalPlaces !== undefined && isExactDecimal(a.value, a.decimalPlaces));
    if (a.decimalPlaces === undefined || !computed) return this.expr(a.value);
    // Compiled twice (once for the NULL test), binding its parameters again in text order.
    return decimalText(this.expr(a.value), a.decimalPlaces, this.expr(a.value));
  }

  /**
   * Decimals are canonical text. A decimal column equals a bound value (canonical at the
   * column's places) or another decimal column as text, exactly, and orders as a number
   * (`ordered`). Anything else with a decimal compares as numbers: a column beside a computed
   * value, and a computed decimal beside anything — arithmetic over one (a REAL here), or an
   * aggregate, ROUND, a cast or a subquery of one (text of its own places, which neither equals
   * nor orders with a bound "15" as text does).
   */
  protected override comparison(node: ComparisonNode): string {
    const op = NUMERIC_OPS[node.op];
    if (op === undefined) return super.comparison(node);
    const { left, right } = node;
    const numeric =
      isComputedDecimal(left) ||
      isComputedDecimal(right) ||
      ((node.op === "eq" || node.op === "distinct") &&
        (isDecimal(left) || isDecimal(right)) &&
        !(isDecimal(left) && isDecimal(right)) &&
        left.kind !== "param" &&
        right.kind !== "param");
    if (!numeric) return super.comparison(node);
    const l = `CAST(${this.expr(left)} AS REAL)`;
    const r = `CAST(${this.expr(right)} AS REAL)`;
    return node.op === "distinct" ? this.distinct(l, r) : `${l} ${op} ${r}`;
  }
}

const NUMERIC_OPS: Partial<Record<ComparisonOp, string>> = {
  eq: "=",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
  distinct: "IS NOT",
};

/** An integer as SQL: SQLite reads `-9223372036854775808` as minus a REAL, so the least is a difference. */
function integerLiteral(n: bigint): string {
  return n === -9223372036854775808n ? "(-9223372036854775807 - 1)" : String(n);
}

/**
 * The canonical decimal text of the REAL `sql` with `scale` places, as Postgres would store it:
 * NULL stays NULL (printf would print 0), and a result rounding to zero is never "-0.00".
 * `again` is `sql` compiled a second time (it may bind parameters, numbered in text order).
 */
function decimalText(sql: string, scale: number, again: string): string {
  const places = Math.trunc(scale);
  return `(CASE WHEN ${sql} IS NULL THEN NULL ELSE printf('%.${places}f', round(${again}, ${places}) + 0.0) END)`;
}

function isDecimal(node: ExpressionNode): boolean {
  return node.kind === "column" && node.fieldKind === "decimal";
}

/** The exact aggregate computing `node` when it is Min/Max/Sum/Avg of a decimal column. */
function decimalAggregate(node: FunctionNode): string | undefined {
  if (node.args.length !== 1 || !isDecimal(node.args[0]!)) return undefined;
  switch (node.name) {
    case "min":
      return YARA_DECIMAL_MIN;
    case "max":
      return YARA_DECIMAL_MAX;
    case "sum":
      return YARA_DECIMAL_SUM;
    case "avg":
      return YARA_DECIMAL_AVG;
    default:
      return undefined;
  }
}

/**
 * Canonical decimal text of `places` places, exactly: Min/Max/Sum of a decimal column of those
 * places (every stored value has them), or a subquery of one.
 */
function isExactDecimal(node: ExpressionNode, places: number): boolean {
  if (node.kind === "subquery") {
    const only = node.query.columns.length === 1 ? node.query.columns[0] : undefined;
    return only !== undefined && isExactDecimal(only, places);
  }
  return (
    node.kind === "function" &&
    node.name !== "avg" &&
    decimalAggregate(node) !== undefined &&
    node.scale === places
  );
}

/** A function whose value is a decimal: of a decimal's scale, or an aggregate of a decimal column. */
function isDecimalFunction(node: FunctionNode): boolean {
  return (
    (node.scale !== undefined && node.name !== "length") || decimalAggregate(node) !== undefined
  );
}

/** A decimal computed: arithmetic over one, an aggregate, ROUND or cast of one, or a subquery of one. */
function isComputedDecimal(node: ExpressionNode): boolean {
  switch (node.kind) {
    case "arithmetic":
      return hasDecimal(node.left) || hasDecimal(node.right);
    case "cast":
      return node.to === "decimal";
    case "function":
      return isDecimalFunction(node);
    case "subquery": {
      const only = node.query.columns.length === 1 ? node.query.columns[0] : undefined;
      return only !== undefined && hasDecimal(only);
    }
    default:
      return false;
  }
}

function hasDecimal(node: ExpressionNode): boolean {
  return isDecimal(node) || isComputedDecimal(node);
}

/** A decimal column, or an aggregate/function of one (canonical text too), maybe as a subquery. */
function isDecimalValue(node: ExpressionNode): boolean {
  if (node.kind === "function") return isDecimalFunction(node);
  if (node.kind === "subquery") {
    const only = node.query.columns.length === 1 ? node.query.columns[0] : undefined;
    return only !== undefined && isDecimalValue(only);
  }
  return isDecimal(node);
}
