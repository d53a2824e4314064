/**
 * MariaDB: `?` placeholders, one bound value per element of an IN list, LIKE with escaping for
 * substring lookups (the session's NO_BACKSLASH_ESCAPES makes `ESCAPE '\'` one backslash),
 * NULL-safe `<=>`, date parts at UTC, FILTER spelt as CASE inside the aggregate, NULLs ordered
 * as on Postgres, LIMIT/OFFSET as literals, upserts as ON DUPLICATE KEY UPDATE. Decimal
 * parameters are cast to DECIMAL, so a comparison with a DECIMAL column is exact (MariaDB
 * compares a DECIMAL with a string as doubles).
 */
import type { BuiltinNode } from "../../ast/builtin.js";
import type { CastNode } from "../../ast/cast.js";
import type { ComparisonNode, ComparisonOp } from "../../ast/comparison.js";
import type { ColumnNode } from "../../ast/column.js";
import type { ExtractNode } from "../../ast/extract.js";
import type { FunctionNode } from "../../ast/function.js";
import type { InNode } from "../../ast/in.js";
import type { InQueryNode } from "../../ast/in-query.js";
import type { InsertNode, OnConflictClause } from "../../ast/insert.js";
import type { JsonNode } from "../../ast/json.js";
import type { MatchNode } from "../../ast/match.js";
import type { ExpressionNode } from "../../ast/node.js";
import type { OrderNode } from "../../ast/order.js";
import { type LockClause, SLICED_ALIAS } from "../../ast/select.js";
import type { Assignment } from "../../ast/update.js";
import type { UpdateRowsNode } from "../../ast/update-rows.js";
import { escapeLike, QueryCompiler } from "../../compiler/compiler.js";
import type { SqlWriter } from "../../compiler/sql-writer.js";
import type { Param } from "../../driver/driver.js";
import { NotSupportedError } from "../../errors.js";
import type { FieldKind } from "../../model/meta.js";
import { floatRound, scaleOf } from "../float-round.js";
import { isIntegerOperand } from "../integer-operand.js";
import { mysqlDatePart } from "./date-parts.js";
import { mysqlJson } from "./json.js";

/** The MariaDB type a value of `kind` is cast to; undefined: the cast is refused. */
const CAST_TYPES: Partial<Record<FieldKind, string>> = {
  int: "SIGNED",
  smallint: "SIGNED",
  bigint: "SIGNED",
  intEnum: "SIGNED",
  float: "DOUBLE",
  char: "CHAR",
  text: "CHAR",
  charEnum: "CHAR",
  datetime: "DATETIME(6)",
  date: "DATE",
  time: "TIME(6)",
  uuid: "CHAR",
};

const TEXT = "utf8mb4_nopad_bin";

/**
 * 1 with 30 places: a DECIMAL multiplied by it keeps its value and has 30 more places, so a
 * quotient of it has too (MariaDB gives `a / b` the places of `a` plus div_precision_increment).
 */
const EXACT_ONE = `1.${"0".repeat(30)}`;

/** The JSON_TABLE column type an IN list of values of a field kind is read as. */
const LIST_TYPES: Partial<Record<FieldKind, string>> = {
  int: "BIGINT",
  smallint: "BIGINT",
  bigint: "BIGINT",
  intEnum: "BIGINT",
  boolean: "BIGINT",
  float: "DOUBLE",
  decimal: "DECIMAL(65, 30)",
  datetime: "DATETIME(6)",
  date: "DATE",
  time: "TIME(6)",
  uuid: "CHAR(36)",
};

/** JSON text of an IN list; bigints are written exactly (JSON.stringify cannot). */
function jsonList(values: readonly Param[]): string {
  const parts = values.map((v) => {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "boolean") return v ? "1" : "0";
    if (v instanceof Uint8Array || Array.isArray(v))
      throw new NotSupportedError(
        "an IN list of bytes or lists is not supported on MySQL/MariaDB",
        "mysql",
      );
    return JSON.stringify(v);
  });
  return `[${parts.join(",")}]`;
}

/** The LIKE pattern matching strings that contain / start with / end with / equal `value`. */
function likePattern(op: ComparisonOp, value: string): string {
  const escaped = escapeLike(value);
  if (op === "contains" || op === "icontains") return `%${escaped}%`;
  if (op === "startswith" || op === "istartswith") return `${escaped}%`;
  if (op === "endswith" || op === "iendswith") return `%${escaped}`;
  return escaped;
}

/** A regular expression escaped for PCRE2. */
function regexLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/**
 * The `search` query's words (joined by spaces, see query/search-words.ts) as one PCRE2
 * pattern: every word present as a whole word, case-insensitively; no words match nothing.
 */
function searchPattern(words: string): string {
  const list = words.split(" ").filter((w) => w.length > 0);
  if (list.length === 0) return "(?!)";
  const word = (w: string): string =>
    `(?=[\\s\\S]*(?<![\\p{L}\\p{Nd}])${regexLiteral(w)}(?![\\p{L}\\p{Nd}]))`;
  return `(?i)^${list.map(word).join("")}`;
}

/**
 * The canonical pattern (query/regex-pattern.ts) in PCRE2's words: `\u` and four hex digits
 * become `\x{…}` with the same digits, and `$` (only ever the anchor there: a literal `$` is
 * written `\u0024`) becomes `\z`, the end of the value (PCRE2's `$` also matches before a final
 * newline, Postgres' does not).
 */
function pcre2(pattern: string): string {
  return pattern.replace(/\\u([0-9a-fA-F]{4})/g, "\\x{$1}").replace(/\$/g, "\\z");
}

/** A string as a MariaDB literal under NO_BACKSLASH_ESCAPES (the session always sets it). */
function stringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A decimal column, or arithmetic reading one. */
function isDecimal(node: ExpressionNode): boolean {
  if (node.kind === "column") return node.fieldKind === "decimal";
  if (node.kind === "arithmetic") return isDecimal(node.left) || isDecimal(node.right);
  return false;
}

export class MysqlCompiler extends QueryCompiler {
  placeholder(_index: number): string {
    return "?";
  }

  protected distinct(left: string, right: string): string {
    return `NOT (${left} <=> ${right})`;
  }

  /**
   * The list as ONE bound JSON array read by JSON_TABLE, in the type of the values' column, so
   * any length fits in one parameter (MariaDB has no array parameters) and a cached plan binds
   * the next list the same way.
   */
  protected inList(node: InNode): string {
    const operand = this.expr(node.operand);
    const kind =
      node.column?.field.kind ??
      (node.operand.kind === "column" ? node.operand.fieldKind : undefined);
    const type = (kind === undefined ? undefined : LIST_TYPES[kind]) ?? `LONGTEXT COLLATE ${TEXT}`;
    const values = this.bindValue({ ...node, value: node.values }, (v) =>
      jsonList(v as readonly Param[]),
    );
    const list = `(SELECT "v" FROM JSON_TABLE(${values}, '$[*]' COLUMNS ("v" ${type} PATH '$')) AS "yara_in")`;
    return node.negated
      ? `(${operand} IS NULL OR ${operand} NOT IN ${list})`
      : `${operand} IN ${list}`;
  }

  /**
   * A bound whole number beside an integer is bound as one: mysql2 binds numbers as DOUBLE, and
   * MariaDB would compute `big + 1.0` in floating point and store 2^63 clamped to the BIGINT
   * maximum instead of failing on the overflow as Postgres does. A decimal's text is bound as a
   * DECIMAL: bare, MariaDB would add "0.0000000001" to a DECIMAL(30, 10) as a DOUBLE and store
   * the sum rounded to 17 digits.
   */
  protected override arithmeticOperand(node: ExpressionNode, other: ExpressionNode): string {
    if (node.kind !== "param") return this.expr(node);
    if (isIntegerOperand(node) && isIntegerOperand(other))
      return `CAST(${this.expr(node)} AS SIGNED)`;
    if (typeof node.value === "string" && node.column === undefined)
      return this.decimalParam(this.expr(node));
    return this.expr(node);
  }

  /** A written value is bound as it is: the column converts it (exactly, for a DECIMAL). */
  protected override assignment(a: Assignment): string {
    return a.value.kind === "param" ? this.bindValue(a.value) : this.expr(a.value);
  }

  /** A value inserted, as an assigned one. */
  private written(node: ExpressionNode): string {
    return node.kind === "param" ? this.bindValue(node) : this.expr(node);
  }

  protected override expr(node: ExpressionNode): string {
    if (node.kind === "param" && node.column?.field.kind === "decimal" && node.value !== null)
      return this.decimalParam(super.expr(node));
    if (
      node.kind === "arithmetic" &&
      node.op === "/" &&
      isIntegerOperand(node.left) &&
      isIntegerOperand(node.right)
    )
      return `(${this.expr(node.left)} DIV ${this.expr(node.right)})`;
    if (node.kind === "arithmetic" && (isDecimal(node.left) || isDecimal(node.right))) {
      // A number or a decimal's text beside a decimal as an exact DECIMAL (mysql2 binds numbers
      // as doubles; MariaDB adds text to a DECIMAL as a DOUBLE).
      const side = (n: ExpressionNode): string =>
        n.kind === "param" && (typeof n.value === "number" || typeof n.value === "string")
          ? this.decimalParam(this.bindValue(n, (v) => (typeof v === "number" ? String(v) : v)))
          : this.expr(n);
      return `(${side(node.left)} ${node.op} ${side(node.right)})`;
    }
    return super.expr(node);
  }

  /**
   * A DATETIME or DATE column of the result as the server's text, in a statement with
   * parameters: mysql2 sends those over the binary protocol, where it reads such a value as
   * numbers and, asked for text (`dateStrings`, driver/mysql2/config.ts), pads and joins them
   * into a string again — about half the client's CPU of 100 authors with their 5 000 books.
   * The server's text is the same string, read as any other (reader.ts parses either). A
   * statement without parameters goes over the text protocol, where the value is text already.
   * The same holds for an INSERT's RETURNING list (`returning`).
   */
  protected override boundResultColumn(node: ExpressionNode): string | undefined {
    if (node.kind === "raw" && node.columns?.some(isDateColumn) === true)
      return node.columns.map((c) => this.boundResultColumn(c) ?? this.expr(c)).join(", ");
    if (node.kind !== "column" || !isDateColumn(node)) return undefined;
    return `CAST(${this.expr(node)} AS CHAR) AS ${this.quote(node.column)}`;
  }

  private decimalParam(placeholder: string): string {
    return `CAST(${placeholder} AS DECIMAL(65, 30))`;
  }

  protected substring(op: ComparisonOp, node: ComparisonNode): string {
    const pattern = this.bindValue(this.pattern(node), (v) => likePattern(op, v as string));
    if (op.startsWith("i"))
      return `LOWER(${this.expr(node.left)}) LIKE LOWER(${pattern}) ESCAPE '\\'`;
    return `${this.expr(node.left)} LIKE ${pattern} ESCAPE '\\'`;
  }

  protected extract(node: ExtractNode): string {
    return mysqlDatePart(node, this.expr(node.operand));
  }

  /** PCRE2, case-sensitive unless iregex whatever the collation; search as whole words. */
  protected match(node: MatchNode): string {
    const operand = this.expr(node.operand);
    if (node.op === "search")
      return `${operand} REGEXP ${this.bindValue(node.pattern, (v) => searchPattern(v as string))}`;
    const flags = node.op === "regex" ? "(?s-i)" : "(?si)";
    return `${operand} REGEXP ${this.bindValue(node.pattern, (v) => `${flags}${pcre2(v as string)}`)}`;
  }

  protected json(node: JsonNode): string {
    return mysqlJson(node, this.#writer);
  }

  readonly #writer: SqlWriter = { expr: (n) => this.expr(n), bind: (v) => this.bind(v) };

  protected override call(node: FunctionNode): string {
    const distinct = node.distinct ? "DISTINCT " : "";
    // The value compiled after the filter, which comes first in the text: `?` parameters are
    // bound in the order they are compiled.
    const filtered = (sql: () => string): string =>
      node.filter === undefined ? sql() : `CASE WHEN ${this.expr(node.filter)} THEN ${sql()} END`;
    switch (node.name) {
      case "count":
        if (node.args.length === 0 && node.filter !== undefined)
          return `COUNT(${filtered(() => "1")})`;
        break;
      case "length":
        return `CHAR_LENGTH(${this.expr(node.args[0]!)})`;
      case "avg": {
        const arg = node.args[0]!;
        // Of a float field: the doubles averaged, as everywhere.
        if (arg.kind === "column" && arg.fieldKind === "float")
          return `AVG(${distinct}${filtered(() => `CAST(${this.expr(arg)} AS DOUBLE)`)})`;
        // Of decimals and integers: the exact DECIMAL sum divided by the count, and the double
        // nearest that quotient, as Postgres' NUMERIC average cast to a double. Not AVG: as a
        // DECIMAL it has only div_precision_increment (4) more places than the values (1, 2 and 2
        // average to 1.6667), and as a double it is the sum made a double, then divided
        // (99999999.99 and four prices of cents average to 20000000.119999997, not .12). The sum
        // times 1 of 30 places makes a quotient of 34 more places (38 at most). Over no value the
        // sum is NULL, and so is the quotient (no division by zero); a double argument divides
        // as doubles, as AVG does.
        const sum = `SUM(${distinct}${filtered(() => this.expr(arg))})`;
        const n = `COUNT(${distinct}${filtered(() => this.expr(arg))})`;
        return `CAST(${sum} * ${EXACT_ONE} / ${n} AS DOUBLE)`;
      }
      case "string_agg": {
        const [value, separator] = node.args;
        if (separator?.kind !== "param" || typeof separator.value !== "string")
          throw new NotSupportedError(
            "StringAgg's separator must be a string value on MySQL/MariaDB",
            "mysql",
          );
        const v = filtered(() => this.expr(value!));
        return `GROUP_CONCAT(${distinct}${v} ORDER BY ${this.expr(value!)} SEPARATOR ${stringLiteral(separator.value)})`;
      }
      case "array_agg": {
        // GROUP_CONCAT skips the rows the filter leaves out; a NULL value is the JSON null.
        const element = filtered(
          () => `JSON_EXTRACT(JSON_ARRAY(${this.expr(node.args[0]!)}), '$[0]')`,
        );
        const value = this.expr(node.args[0]!);
        return `COALESCE(CONCAT('[', GROUP_CONCAT(${distinct}${element} ORDER BY ${value} IS NULL, ${value} SEPARATOR ','), ']'), '[]')`;
      }
      case "round":
        // Of a decimal: a DECIMAL of the field's places (a bound number makes a DOUBLE of it).
        return node.scale === undefined
          ? super.call(node)
          : decimalOf(super.call(node), node.scale);
    }
    if (node.filter === undefined) return super.call(node);
    const args = node.args.map((a, i) => (i === 0 ? filtered(() => this.expr(a)) : this.expr(a)));
    return `${node.name.toUpperCase()}(${distinct}${args.join(", ")})`;
  }

  protected cast(node: CastNode): string {
    const operand = this.expr(node.operand);
    if (node.to === "decimal") {
      const digits = node.digits === undefined ? 65 : Math.trunc(node.digits);
      const places = node.digits === undefined ? 30 : Math.trunc(node.places ?? 0);
      return `CAST(${operand} AS DECIMAL(${digits}, ${places}))`;
    }
    const type = CAST_TYPES[node.to];
    if (type === undefined)
      throw new NotSupportedError(
        `Cast to ${node.to} is not supported on MySQL/MariaDB (its result would differ from Postgres')`,
        "mysql",
      );
    return `CAST(${operand} AS ${type})`;
  }

  protected builtin(node: BuiltinNode): string {
    const sql = this.builtinCall(node);
    return node.scale === undefined || node.name === "now" ? sql : decimalOf(sql, node.scale);
  }

  private builtinCall(node: BuiltinNode): string {
    const arg = (i: number): string => this.expr(node.args[i]!);
    const dbl = (i: number): string => `CAST(${arg(i)} AS DOUBLE)`;
    switch (node.name) {
      case "concat":
        // Postgres' concat() skips NULLs; MariaDB's CONCAT would be NULL.
        return `CONCAT(${node.args.map((a) => `COALESCE(${this.expr(a)}, '')`).join(", ")})`;
      case "substr":
        return `SUBSTRING(${node.args.map((a) => this.expr(a)).join(", ")})`;
      case "left":
        // A negative count keeps all but that many characters, as Postgres' left().
        return `(CASE WHEN ${arg(1)} < 0 THEN LEFT(${arg(0)}, GREATEST(CHAR_LENGTH(${arg(0)}) + ${arg(1)}, 0)) ELSE LEFT(${arg(0)}, ${arg(1)}) END)`;
      case "right":
        return `(CASE WHEN ${arg(1)} < 0 THEN RIGHT(${arg(0)}, GREATEST(CHAR_LENGTH(${arg(0)}) + ${arg(1)}, 0)) ELSE RIGHT(${arg(0)}, ${arg(1)}) END)`;
      case "replace":
        return `REPLACE(${arg(0)}, ${arg(1)}, ${arg(2)})`;
      case "abs":
        return `ABS(${arg(0)})`;
      case "trunc":
        return `TRUNCATE(${arg(0)}, 0)`;
      case "now":
        // Milliseconds, as every datetime yara stores: a value read back compares equal.
        return "UTC_TIMESTAMP(3)";
      case "round":
        return node.float
          ? floatRound(
              () => dbl(0),
              () => `CAST(${this.bind(scaleOf(node))} AS DOUBLE)`,
            )
          : `ROUND(${arg(0)}, ${arg(1)})`;
      case "mod":
        return node.float
          ? `MOD(${dbl(0)}, NULLIF(${dbl(1)}, 0))`
          : `MOD(${arg(0)}, NULLIF(${arg(1)}, 0))`;
      case "power":
        return `(CASE WHEN (${dbl(0)} = 0 AND ${dbl(1)} < 0) OR (${dbl(0)} < 0 AND ${dbl(1)} <> TRUNCATE(${dbl(1)}, 0)) THEN NULL ELSE POW(${dbl(0)}, ${dbl(1)}) END)`;
    }
  }

  /** NULL sorts after every value ascending and first descending, as on Postgres. */
  protected override order(node: OrderNode): string {
    const direction = node.descending ? " DESC" : " ASC";
    if (!node.nullable) return `${this.expr(node.expr)}${direction}`;
    // Compiled twice, in text order (its parameters are bound again).
    const isNull = `${this.expr(node.expr)} IS NULL${direction}`;
    return `${isNull}, ${this.expr(node.expr)}${direction}`;
  }

  /** Literal counts (the shape key fixes them); MariaDB has no OFFSET without LIMIT. */
  protected override limitOffset(limit: number | undefined, offset: number | undefined): string {
    if (limit === undefined && offset === undefined) return "";
    let sql = ` LIMIT ${limit === undefined ? "18446744073709551615" : count(limit)}`;
    if (offset !== undefined) sql += ` OFFSET ${count(offset)}`;
    return sql;
  }

  /**
   * A sliced subquery (`limit()`/`offset()`: update() and delete() after them, or `field__in` such
   * a query) read through a derived table: MariaDB refuses LIMIT directly inside IN ("doesn't
   * yet support 'LIMIT & IN/ALL/ANY/SOME subquery'") but not in a derived table, which it
   * materialises first, so an UPDATE or DELETE may also read the table it writes.
   */
  protected override inQuery(node: InQueryNode): string {
    const { query } = node;
    if (query.limit === undefined && query.offset === undefined) return super.inQuery(node);
    return `${this.expr(node.operand)} IN (SELECT * FROM (${this.select(query)}) AS "${SLICED_ALIAS}")`;
  }

  protected override lock(lock: LockClause): string {
    return ` FOR UPDATE${lock.skipLocked ? " SKIP LOCKED" : lock.nowait ? " NOWAIT" : ""}`;
  }

  /**
   * A bulk update joins the table with its rows, one derived table of `SELECT ? AS …` rows
   * (MariaDB has no UPDATE … FROM).
   */
  protected override updateRows(node: UpdateRowsNode): string {
    const table = this.quote(node.table);
    const names = ["yara_key", ...node.columns.map((_c, i) => `yara_v${i}`)];
    const rows = node.rows.map((row, r) => {
      // Written values, bound as they are: the columns convert them (as in an INSERT).
      const cells = [row.key, ...row.values].map((v) => this.written(v));
      return `SELECT ${r === 0 ? cells.map((c, i) => `${c} AS ${this.quote(names[i]!)}`).join(", ") : cells.join(", ")}`;
    });
    const set = node.columns
      .map((c, i) => `${table}.${this.quote(c)} = "yara_rows".${this.quote(names[i + 1]!)}`)
      .join(", ");
    return `UPDATE ${table} INNER JOIN (${rows.join(" UNION ALL ")}) AS "yara_rows" ON ${this.expr(node.key)} = "yara_rows"."yara_key" SET ${set}`;
  }

  protected override insert(node: InsertNode): string {
    if (
      node.onConflict?.action === "nothing" ||
      (node.onConflict !== undefined && node.onConflict.set.length === 0)
    ) {
      if (node.returning.length > 0)
        throw new NotSupportedError(
          "skipping conflicting rows while reading the written ones back (bulkCreate with " +
            "onConflict: { ignore: true }) is not supported on MySQL/MariaDB: ON DUPLICATE KEY UPDATE " +
            "returns the existing rows too; insert without ignore, or catch IntegrityError",
          "mysql",
        );
    }
    let sql = `INSERT INTO ${this.quote(node.table)}`;
    if (node.columns.length === 0) {
      sql += " () VALUES ()";
    } else {
      sql += ` (${node.columns.map((c) => this.quote(c)).join(", ")}) VALUES `;
      sql += node.rows.map((row) => `(${row.map((v) => this.written(v)).join(", ")})`).join(", ");
    }
    if (node.onConflict) sql += this.onConflict(node.onConflict, node);
    if (node.returning.length > 0) sql += ` RETURNING ${this.returning(node.returning)}`;
    return sql;
  }

  /**
   * ON DUPLICATE KEY UPDATE: any unique key of the table triggers it, not only the target's
   * (docs/mysql.md). "Do nothing" assigns a column to itself, so other errors still raise
   * (INSERT IGNORE would turn them into warnings).
   */
  protected override onConflict(clause: OnConflictClause, node?: InsertNode): string {
    if (clause.action === "nothing" || clause.set.length === 0) {
      const column = clause.target[0] ?? node?.columns[0];
      if (column === undefined) return "";
      return ` ON DUPLICATE KEY UPDATE ${this.quote(column)} = ${this.quote(column)}`;
    }
    const set = clause.set.map((c) => `${this.quote(c)} = VALUES(${this.quote(c)})`);
    // The key of the row written, inserted or updated, as the statement's insert id.
    if (clause.reportKey !== undefined)
      set.unshift(
        `${this.quote(clause.reportKey)} = LAST_INSERT_ID(${this.quote(clause.reportKey)})`,
      );
    return ` ON DUPLICATE KEY UPDATE ${set.join(", ")}`;
  }
}

/** `sql` as a DECIMAL of `scale` places, as Postgres' numeric arithmetic keeps them. */
function decimalOf(sql: string, scale: number): string {
  return `CAST(${sql} AS DECIMAL(65, ${Math.min(30, Math.max(0, Math.trunc(scale)))}))`;
}

function count(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new TypeError("LIMIT and OFFSET take non-negative integers");
  return String(n);
}

function isDateColumn(node: ColumnNode): boolean {
  return node.fieldKind === "datetime" || node.fieldKind === "date";
}
