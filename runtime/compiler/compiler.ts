/**
 * The one SQL compiler: visits a statement AST and returns `{ sql, params }`, numbering the
 * parameters itself in text order. Dialects (`runtime/dialect/<name>/compiler.ts`) subclass it and override the
 * hooks where databases differ: placeholders, IN lists, substring tests, date parts, locks,
 * LIMIT/OFFSET, and (for SQLite's text decimals) ordering, comparisons, calls and assignments.
 * Identifiers come only from ModelMeta and are always double-quoted here.
 */
import type { Dialect } from "../dialect/dialect.js";
import type { ArithmeticNode } from "../ast/arithmetic.js";
import type { BuiltinNode } from "../ast/builtin.js";
import type { CaseNode } from "../ast/case.js";
import type { CastNode } from "../ast/cast.js";
import type { ComparisonNode, ComparisonOp } from "../ast/comparison.js";
import type { DeleteNode } from "../ast/delete.js";
import type { ExtractNode } from "../ast/extract.js";
import type { FunctionNode } from "../ast/function.js";
import type { InNode } from "../ast/in.js";
import type { InQueryNode } from "../ast/in-query.js";
import type { InsertNode, OnConflictClause } from "../ast/insert.js";
import type { JsonNode } from "../ast/json.js";
import type { MatchNode } from "../ast/match.js";
import type { ExpressionNode } from "../ast/node.js";
import type { OrderNode } from "../ast/order.js";
import type { ParamNode, StoredAs } from "../ast/param.js";
import type { LockClause, SelectNode } from "../ast/select.js";
import type { Assignment, UpdateNode } from "../ast/update.js";
import type { UpdateRowsNode } from "../ast/update-rows.js";
import { isRejected } from "../dialect/field-checks.js";
import type { Param } from "../driver/driver.js";
import { NotSupportedError, ValidationError } from "../errors.js";

export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly Param[];
}

/**
 * Where one bound parameter of a compiled statement comes from: filter value number `slot`,
 * passed through `map` — the very function the compiler passed the AST's value through (the
 * dialect's storage form, and a derived value such as a LIKE pattern) — or `"shape"` for a
 * value the query's shape key fixes (LIMIT and OFFSET).
 */
export type ParamSource =
  { readonly slot: number; readonly map: (value: Param) => Param } | "shape";

/** A compiled statement and, for each parameter, where it came from (undefined: unknown). */
export interface CompiledPlan extends CompiledQuery {
  readonly sources: readonly (ParamSource | undefined)[];
}

export type StatementNode = SelectNode | InsertNode | UpdateNode | UpdateRowsNode | DeleteNode;

const PLAIN_OPS: Partial<Record<ComparisonOp, string>> = {
  eq: "=",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
};

/** Escapes `\`, `%` and `_` so a LIKE pattern matches `value` literally (ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** What the compiler asks of its dialect (dialect.ts): its name, what it has, how it stores values. */
export type CompilerDialect = Pick<Dialect, "name" | "supports" | "store">;

export abstract class QueryCompiler {
  constructor(protected readonly dialect: CompilerDialect) {}

  #params: Param[] = [];
  #sources: (ParamSource | undefined)[] = [];

  compile(statement: StatementNode): CompiledQuery {
    const { sql, params } = this.compilePlan(statement);
    return { sql, params };
  }

  /** Like compile(), also saying where each parameter came from (see query/shape-cache.ts). */
  compilePlan(statement: StatementNode): CompiledPlan {
    this.#params = [];
    this.#sources = [];
    const sql = this.statement(statement);
    const plan = { sql, params: this.#params, sources: this.#sources };
    this.#params = [];
    this.#sources = [];
    return plan;
  }

  /** The placeholder of the `index`-th parameter (1-based). */
  abstract placeholder(index: number): string;
  /** NULL-safe `<>`. */
  protected abstract distinct(left: string, right: string): string;
  protected abstract inList(node: InNode): string;
  protected abstract substring(op: ComparisonOp, node: ComparisonNode): string;
  protected abstract extract(node: ExtractNode): string;
  /** A function spelt differently by each database (ast/builtin.ts). */
  protected abstract builtin(node: BuiltinNode): string;
  /** `CAST(x AS type)` with the dialect's name of the type. */
  protected abstract cast(node: CastNode): string;
  /** `regex`, `iregex` and `search` (see ast/match.ts). */
  protected abstract match(node: MatchNode): string;
  /** Tests on JSON columns (see ast/json.ts). */
  protected abstract json(node: JsonNode): string;

  /** Row locks, where the dialect has them (Dialect.supports.rowLocks). */
  protected lock(_lock: LockClause): string {
    return "";
  }

  protected bind(value: Param, source?: ParamSource): string {
    this.#params.push(value);
    this.#sources.push(source);
    return this.placeholder(this.#params.length);
  }

  /**
   * Binds the value of a param or IN list node: stored for the dialect when the node says which
   * field it belongs to, then passed through `map`. A node with a slot records that one function
   * as its source, so a plan replays the later query's slot value exactly as this one was bound.
   */
  protected bindValue(
    node: {
      readonly value: Param;
      readonly slot: number | undefined;
      readonly column: StoredAs | undefined;
    },
    map?: (stored: Param) => Param,
  ): string {
    const { column } = node;
    const encode = (v: Param): Param => {
      const stored = column === undefined ? v : this.stored(v, column);
      return map === undefined ? stored : map(stored);
    };
    return this.bind(
      encode(node.value),
      node.slot === undefined ? undefined : { slot: node.slot, map: encode },
    );
  }

  /** `value` (or each value of a list) as the dialect stores it; a ValidationError when it cannot. */
  protected stored(value: Param, column: StoredAs): Param {
    if (value === null) return null;
    if (Array.isArray(value)) return value.map((v: Param) => this.stored(v, column));
    const stored = this.dialect.store(column.field, value);
    if (!isRejected(stored)) return stored;
    throw new ValidationError(
      `${column.model}.${column.field.name}: ${stored.why}`,
      column.model,
      column.field.name,
    );
  }

  protected quote(identifier: string): string {
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  protected statement(node: StatementNode): string {
    switch (node.kind) {
      case "select":
        return this.select(node, true);
      case "insert":
        return this.insert(node);
      case "update":
        return this.update(node);
      case "updateRows":
        return this.updateRows(node);
      case "delete":
        return this.delete(node);
    }
  }

  /**
   * `SELECT DISTINCT ON (…) ` where the dialect has it (Dialect.supports.distinctOn); elsewhere
   * a NotSupportedError, before anything is sent, rather than rows picked some other way.
   */
  protected distinctOn(node: SelectNode): string {
    const { name, supports } = this.dialect;
    if (supports.distinctOn)
      return `SELECT DISTINCT ON (${node.distinctOn.map((e) => this.expr(e)).join(", ")}) `;
    throw new NotSupportedError(
      `${node.distinctOnAsked ?? "distinct(fields)"} is SELECT DISTINCT ON, which ${name} ` +
        "does not have (Postgres only); use distinct() without fields, on values(), or groupBy() instead",
      name,
    );
  }

  /**
   * A column of the rows the statement itself sends back (not a subquery's), in the form the
   * dialect wants it on the wire when the statement has parameters; undefined: as written. It
   * binds nothing (only columns and column lists are given another form).
   */
  protected boundResultColumn(_node: ExpressionNode): string | undefined {
    return undefined;
  }

  protected select(node: SelectNode, outermost = false): string {
    let sql =
      node.distinctOn.length > 0
        ? this.distinctOn(node)
        : node.distinct
          ? "SELECT DISTINCT "
          : "SELECT ";
    const head = sql.length;
    const rendered = node.columns.map((c) => this.expr(c));
    const { aliases } = node;
    const columns =
      aliases === undefined
        ? rendered.join(", ")
        : rendered.map((c, i) => `${c} AS ${this.quote(aliases[i]!)}`).join(", ");
    sql += columns;
    const from = node.from;
    if ("query" in from) sql += ` FROM (${this.select(from.query)}) AS ${this.quote(from.alias)}`;
    else
      sql += ` FROM ${this.quote(from.table)}${from.alias ? ` AS ${this.quote(from.alias)}` : ""}`;
    for (const j of node.joins) {
      sql += ` ${j.type === "left" ? "LEFT JOIN" : "INNER JOIN"} ${this.quote(j.table)} AS ${this.quote(j.alias)} ON ${this.expr(j.on)}`;
    }
    if (node.where) sql += ` WHERE ${this.expr(node.where)}`;
    if (node.groupBy.length > 0)
      sql += ` GROUP BY ${node.groupBy.map((g) => this.expr(g)).join(", ")}`;
    if (node.having) sql += ` HAVING ${this.expr(node.having)}`;
    if (node.orderBy.length > 0)
      sql += ` ORDER BY ${node.orderBy.map((o) => this.order(o)).join(", ")}`;
    sql += this.limitOffset(node.limit, node.offset);
    if (node.lock && this.dialect.supports.rowLocks) sql += this.lock(node.lock);
    // Known once the whole statement has bound its values. A DISTINCT list stays as written:
    // the rows are told apart (and ordered) by it; so does a list of named columns (a derived
    // table's, never sent back itself).
    if (
      outermost &&
      this.#params.length > 0 &&
      !node.distinct &&
      node.distinctOn.length === 0 &&
      aliases === undefined
    ) {
      const bound = node.columns.map((c) => this.boundResultColumn(c));
      if (bound.some((c) => c !== undefined)) {
        const written = bound.map((c, i) => c ?? rendered[i]!).join(", ");
        sql = sql.slice(0, head) + written + sql.slice(head + columns.length);
      }
    }
    return sql;
  }

  protected limitOffset(limit: number | undefined, offset: number | undefined): string {
    let sql = "";
    if (limit !== undefined) sql += ` LIMIT ${this.bind(limit, "shape")}`;
    if (offset !== undefined) sql += ` OFFSET ${this.bind(offset, "shape")}`;
    return sql;
  }

  protected order(node: OrderNode): string {
    return `${this.expr(node.expr)}${node.descending ? " DESC" : " ASC"}`;
  }

  protected insert(node: InsertNode): string {
    let sql = `INSERT INTO ${this.quote(node.table)}`;
    if (node.columns.length === 0) {
      sql += " DEFAULT VALUES";
    } else {
      sql += ` (${node.columns.map((c) => this.quote(c)).join(", ")}) VALUES `;
      sql += node.rows.map((row) => `(${row.map((v) => this.expr(v)).join(", ")})`).join(", ");
    }
    if (node.onConflict) sql += this.onConflict(node.onConflict);
    if (node.returning.length > 0) sql += ` RETURNING ${this.returning(node.returning)}`;
    return sql;
  }

  /**
   * A RETURNING list, rendered last in its statement: once the statement has bound its values,
   * each column in the form the dialect wants it on the wire (`boundResultColumn`).
   */
  protected returning(columns: readonly ExpressionNode[]): string {
    const bound = this.#params.length > 0;
    return columns
      .map((c) => (bound ? this.boundResultColumn(c) : undefined) ?? this.expr(c))
      .join(", ");
  }

  protected onConflict(clause: OnConflictClause): string {
    const target =
      clause.target.length > 0 ? ` (${clause.target.map((c) => this.quote(c)).join(", ")})` : "";
    if (clause.action === "nothing" || clause.set.length === 0)
      return ` ON CONFLICT${target} DO NOTHING`;
    const set = clause.set.map((c) => `${this.quote(c)} = EXCLUDED.${this.quote(c)}`).join(", ");
    return ` ON CONFLICT${target} DO UPDATE SET ${set}`;
  }

  protected update(node: UpdateNode): string {
    let sql = `UPDATE ${this.quote(node.table)} SET `;
    sql += node.set.map((a) => `${this.quote(a.column)} = ${this.assignment(a)}`).join(", ");
    if (node.where) sql += ` WHERE ${this.expr(node.where)}`;
    if (node.returning.length > 0)
      sql += ` RETURNING ${node.returning.map((c) => this.expr(c)).join(", ")}`;
    return sql;
  }

  protected assignment(a: Assignment): string {
    return this.expr(a.value);
  }

  /**
   * A bulk update: the rows as a named VALUES list joined with the table by key (SQLite 3.33+
   * and Postgres run this text; see ast/update-rows.ts).
   */
  protected updateRows(node: UpdateRowsNode): string {
    const names = ["yara_key", ...node.columns.map((_c, i) => `yara_v${i}`)].map((n) =>
      this.quote(n),
    );
    const rows = node.rows
      .map((row, r) => {
        const cells = [row.key, ...row.values].map((v) =>
          r === 0 ? this.firstRowCell(v) : this.expr(v),
        );
        return `(${cells.join(", ")})`;
      })
      .join(", ");
    const set = node.columns
      .map((c, i) => `${this.quote(c)} = "yara_rows".${names[i + 1]!}`)
      .join(", ");
    return (
      `WITH "yara_rows" (${names.join(", ")}) AS (VALUES ${rows}) ` +
      `UPDATE ${this.quote(node.table)} SET ${set} FROM "yara_rows" ` +
      `WHERE ${this.expr(node.key)} = "yara_rows"."yara_key"`
    );
  }

  /** A value of a bulk update's first row: the one that gives the rows' columns their types. */
  protected firstRowCell(value: ParamNode): string {
    return this.expr(value);
  }

  protected delete(node: DeleteNode): string {
    return `DELETE FROM ${this.quote(node.table)}${node.where ? ` WHERE ${this.expr(node.where)}` : ""}`;
  }

  protected expr(node: ExpressionNode): string {
    switch (node.kind) {
      case "column":
        return `${this.quote(node.table)}.${this.quote(node.column)}`;
      case "param":
        return this.bindValue(node);
      case "literal":
        return node.value === 1 ? "1" : node.value ? "TRUE" : "FALSE";
      case "raw":
        return node.sql;
      case "and":
        if (node.items.length === 0) return "TRUE";
        if (node.items.length === 1) return this.expr(node.items[0]!);
        return `(${node.items.map((i) => this.expr(i)).join(" AND ")})`;
      case "or":
        if (node.items.length === 0) return "FALSE";
        if (node.items.length === 1) return this.expr(node.items[0]!);
        return `(${node.items.map((i) => this.expr(i)).join(" OR ")})`;
      case "not":
        return `NOT (${this.expr(node.operand)})`;
      case "isNull":
        return `${this.expr(node.operand)} IS ${node.negated ? "NOT " : ""}NULL`;
      case "exists":
        return `EXISTS (${this.select(node.query)})`;
      case "subquery":
        return `(${this.select(node.query)})`;
      case "in":
        return this.inList(node);
      case "inQuery":
        return this.inQuery(node);
      case "extract":
        return this.extract(node);
      case "match":
        return this.match(node);
      case "json":
        return this.json(node);
      case "comparison":
        return this.comparison(node);
      case "arithmetic":
        return this.arithmetic(node);
      case "function":
        return this.call(node);
      case "builtin":
        return this.builtin(node);
      case "cast":
        return this.cast(node);
      case "case":
        return this.caseWhen(node);
      case "rawExpression": {
        // The application's text between its placeholders; every value is bound and numbered here.
        let sql = node.parts[0]!;
        node.params.forEach((p, i) => (sql += this.bind(p) + node.parts[i + 1]!));
        return `(${sql})`;
      }
    }
  }

  /** `operand IN (SELECT …)`: a filter on a query, and UPDATE/DELETE through joins or a slice. */
  protected inQuery(node: InQueryNode): string {
    return `${this.expr(node.operand)} IN (${this.select(node.query)})`;
  }

  protected caseWhen(node: CaseNode): string {
    let sql = "CASE";
    for (const w of node.whens) sql += ` WHEN ${this.expr(w.when)} THEN ${this.expr(w.then)}`;
    if (node.otherwise !== undefined) sql += ` ELSE ${this.expr(node.otherwise)}`;
    return `${sql} END`;
  }

  protected call(node: FunctionNode): string {
    if (node.name === "round")
      return `ROUND(${this.expr(node.args[0]!)}, ${Math.trunc(node.scale ?? 0)})`;
    if (node.name === "count" && node.args.length === 0) return `COUNT(*)${this.filter(node)}`;
    return `${node.name.toUpperCase()}(${node.distinct ? "DISTINCT " : ""}${node.args.map((a) => this.expr(a)).join(", ")})${this.filter(node)}`;
  }

  /** An aggregate's ` FILTER (WHERE …)` (Postgres, and SQLite since 3.30), or nothing. */
  protected filter(node: FunctionNode): string {
    return node.filter === undefined ? "" : ` FILTER (WHERE ${this.expr(node.filter)})`;
  }

  /** `left op right`; dialects write division and the operands' types their way. */
  protected arithmetic(node: ArithmeticNode): string {
    const left = this.arithmeticOperand(node.left, node.right);
    return `(${left} ${node.op} ${this.arithmeticOperand(node.right, node.left)})`;
  }

  /** One side of arithmetic, written knowing the `other` side. */
  protected arithmeticOperand(node: ExpressionNode, _other: ExpressionNode): string {
    return this.expr(node);
  }

  /** How one side of an ordering comparison is written (SQLite casts decimals here). */
  protected ordered(node: ExpressionNode, _other: ExpressionNode): string {
    return this.compared(node);
  }

  /** How one side of `=`, `<>`/`IS NOT` or an ordering comparison is written (SQLite: `+?`). */
  protected compared(node: ExpressionNode): string {
    return this.expr(node);
  }

  protected comparison(node: ComparisonNode): string {
    const plain = PLAIN_OPS[node.op];
    if (plain !== undefined) {
      if (node.op === "eq") return `${this.compared(node.left)} = ${this.compared(node.right)}`;
      return `${this.ordered(node.left, node.right)} ${plain} ${this.ordered(node.right, node.left)}`;
    }
    if (node.op === "distinct")
      return this.distinct(this.compared(node.left), this.compared(node.right));
    return this.substring(node.op, node);
  }

  /** The param on the right of a substring comparison, holding a string. */
  protected pattern(node: ComparisonNode): ParamNode {
    const right = node.right;
    if (right.kind !== "param" || typeof right.value !== "string") {
      throw new TypeError(`${node.op} needs a string parameter on the right`);
    }
    return right;
  }
}
