/** A Driver that records every statement and answers with canned rows (no database). */
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import type {
  Dialect,
  DialectName,
  Driver,
  Param,
  QueryOptions,
  Result,
  RowReader,
} from "../../../runtime/index.js";
import { setRootDriver } from "../../../runtime/transaction.js";

export interface Sent {
  readonly sql: string;
  readonly params: readonly Param[];
  readonly options?: QueryOptions | undefined;
}

function reader(rows: readonly (readonly unknown[])[]): RowReader {
  const cell = (c: number, i: number): unknown => rows[i]?.[c];
  return {
    isNull: (c, i) => cell(c, i) === null || cell(c, i) === undefined,
    int: (c, i) => Number(cell(c, i)),
    bigint: (c, i) => BigInt(cell(c, i) as bigint),
    float: (c, i) => Number(cell(c, i)),
    boolean: (c, i) => Boolean(cell(c, i)),
    text: (c, i) => String(cell(c, i)),
    decimal: (c, i) => String(cell(c, i)),
    datetime: (c, i) => new Date(cell(c, i) as string),
    date: (c, i) => String(cell(c, i)),
    time: (c, i) => String(cell(c, i)),
    uuid: (c, i) => String(cell(c, i)),
    json: (c, i) => JSON.parse(String(cell(c, i))),
    binary: (c, i) => cell(c, i) as Uint8Array,
    value: (c, i) => cell(c, i),
  };
}

export class FakeDriver implements Driver {
  readonly name = "pg" as const;
  readonly sent: Sent[] = [];
  /** Rows answered to the next queries, in order (default: none). */
  readonly replies: { rows?: unknown[][]; columns?: string[]; rowCount?: number }[] = [];
  readonly dialect: Dialect;
  constructor(
    name: DialectName,
    /** The bind-parameter ceiling it reports (default: the dialect's). */
    readonly maxParams: number = dialectNamed(name).maxParams,
  ) {
    this.dialect = dialectNamed(name);
  }

  async query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    this.sent.push({ sql, params, options });
    const reply = this.replies.shift() ?? {};
    const rows = reply.rows ?? [];
    return { rowCount: rows.length, columns: reply.columns ?? [], reader: reader(rows) };
  }

  async execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    this.sent.push({ sql, params });
    return { rowCount: this.replies.shift()?.rowCount ?? 0 };
  }

  async transaction<T>(fn: (conn: Driver) => Promise<T>): Promise<T> {
    this.sent.push({ sql: "BEGIN", params: [] });
    const result = await fn(this);
    this.sent.push({ sql: "COMMIT", params: [] });
    return result;
  }

  async close(): Promise<void> {}

  get last(): Sent {
    return this.sent[this.sent.length - 1]!;
  }
}

/** Installs a fresh fake driver of `dialect` as the root driver. */
export function useFake(dialect: DialectName, maxParams?: number): FakeDriver {
  const driver = new FakeDriver(dialect, maxParams);
  setRootDriver(driver);
  return driver;
}
