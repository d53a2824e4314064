/**
 * create(), save() and bulkCreate() on a server without INSERT … RETURNING (MySQL; the dialect
 * says so with `supports.insertReturning`): the INSERT, then the rows written read back by
 * primary key in the same transaction, so the instances hold what RETURNING would have given —
 * every column, the values the database filled in (dbDefault, AUTO_INCREMENT) included.
 *
 * Where each row's key comes from:
 * - given in the row: that value;
 * - AUTO_INCREMENT: the statement's insert id. One multi-row INSERT numbers its rows from it,
 *   `insertIdStep` apart, when the server promises so (InnoDB's autoinc lock mode 0 or 1);
 *   otherwise (mode 2, interleaved) each row is its own INSERT;
 * - anything else the database fills (a dbDefault on the key): it cannot be found again, so
 *   that is a NotSupportedError.
 *
 * Upserts (`onConflict: { update }`) on an AUTO_INCREMENT key run one statement per row with the
 * key also assigned `LAST_INSERT_ID(key)`: the insert id then names the row written, inserted
 * or updated, whichever unique key matched (MySQL updates on any of them). On another key the
 * rows are read back by the keys given, and a row not found — it matched another unique key,
 * and updated a row of another key — is an error that rolls the statement back: which row it
 * updated cannot be told. `{ ignore: true }` is refused as with RETURNING (mysql compiler).
 */
import type { OnConflictClause } from "../ast/insert.js";
import { encodeValue } from "../dialect/encode.js";
import type { Dialect } from "../dialect/dialect.js";
import type { Driver, Param } from "../driver/driver.js";
import { NotSupportedError } from "../errors.js";
import { buildInsert, type InsertRow } from "../query/insert.js";
import { inTransaction } from "../transaction.js";
import type { ModelManager } from "./manager.js";
import type { FieldMeta } from "./meta.js";
import type { ModelTypes } from "./types.js";

export async function insertReadBack<T extends ModelTypes>(
  manager: ModelManager<T>,
  rows: readonly InsertRow[],
  onConflict: OnConflictClause | undefined,
): Promise<T["model"][]> {
  const meta = manager.meta;
  const pk = meta.fields.find((f) => f.name === meta.pk)!;
  const given = rows[0]?.fields.includes(pk) ?? false;
  const dialect = manager.writeDriver().dialect;
  if (onConflict !== undefined && (onConflict.action === "nothing" || onConflict.set.length === 0))
    throw new NotSupportedError(
      `${meta.name}: skipping conflicting rows (bulkCreate with onConflict: { ignore: true }) is not ` +
        `supported on ${dialect.title}: ON DUPLICATE KEY UPDATE reports a skipped row as it reports ` +
        "an inserted one; insert without ignore, or catch IntegrityError",
      dialect.name,
    );
  if (!given && !pk.generated)
    throw new NotSupportedError(
      `${meta.name}.${pk.name} is filled by the database (dbDefault), and this ${dialect.title} server ` +
        "has no INSERT … RETURNING to read it back: give the key a value, or a default yara computes",
      dialect.name,
    );
  return inTransaction(async (conn) => {
    const keys = await insertRows(conn, manager, pk, given, rows, onConflict);
    return readBack(conn, manager, pk, keys);
  }, manager.writeScope());
}

/** Runs the INSERTs; resolves to each row's key, encoded as a filter binds it. */
async function insertRows<T extends ModelTypes>(
  conn: Driver,
  manager: ModelManager<T>,
  pk: FieldMeta,
  given: boolean,
  rows: readonly InsertRow[],
  onConflict: OnConflictClause | undefined,
): Promise<Param[]> {
  const { dialect } = conn;
  const run = async (batch: readonly InsertRow[], clause: OnConflictClause | undefined) => {
    const node = buildInsert(manager.meta, batch, {
      onConflict: clause,
      returning: undefined,
    });
    const { sql, params } = dialect.compiler.compile(node);
    return conn.execute(sql, params);
  };
  if (pk.generated && onConflict?.action === "update") {
    const clause = { ...onConflict, reportKey: pk.column };
    const keys: Param[] = [];
    for (const row of rows)
      keys.push(keyOf(dialect, manager, pk, (await run([row], clause)).insertId));
    return keys;
  }
  if (given) {
    await run(rows, onConflict);
    const at = rows[0]!.fields.indexOf(pk);
    return rows.map((row) => filterKey(dialect, manager, pk, row.values[at]));
  }
  const step = dialect.insertIdStep;
  if (step === undefined) {
    // Interleaved AUTO_INCREMENT: the keys of one multi-row INSERT may have gaps; one row each.
    const keys: Param[] = [];
    for (const row of rows)
      keys.push(keyOf(dialect, manager, pk, (await run([row], undefined)).insertId));
    return keys;
  }
  const first = (await run(rows, undefined)).insertId;
  if (first === undefined || first === 0n) throw missingInsertId(manager, dialect);
  return rows.map((_row, k) => keyOf(dialect, manager, pk, first + BigInt(k * step)));
}

/** A key the database assigned (the insert id), as a filter binds it. */
function keyOf<T extends ModelTypes>(
  dialect: Dialect,
  manager: ModelManager<T>,
  pk: FieldMeta,
  id: bigint | undefined,
): Param {
  if (id === undefined || id === 0n) throw missingInsertId(manager, dialect);
  return filterKey(dialect, manager, pk, pk.kind === "bigint" ? id : Number(id));
}

function filterKey<T extends ModelTypes>(
  dialect: Dialect,
  manager: ModelManager<T>,
  pk: FieldMeta,
  value: unknown,
): Param {
  return encodeValue({ dialect, model: manager.meta.name, mode: "filter" }, pk, value);
}

function missingInsertId<T extends ModelTypes>(manager: ModelManager<T>, dialect: Dialect): Error {
  return new NotSupportedError(
    `${manager.meta.name}: the INSERT reported no AUTO_INCREMENT key, so the row cannot be read back`,
    dialect.name,
  );
}

/** The rows with `keys`, decoded, in the order of `keys` (a key listed twice, twice). */
async function readBack<T extends ModelTypes>(
  conn: Driver,
  manager: ModelManager<T>,
  pk: FieldMeta,
  keys: readonly Param[],
): Promise<T["model"][]> {
  const { dialect } = conn;
  const where = { [`${pk.name}__in`]: [...new Set(keys)] } as T["where"];
  // No ORDER BY (the model's ordering would sort for nothing): rows are placed by key below.
  const { sql, params } = manager.filter(where).orderBy().sql(dialect);
  const result = await conn.query(sql, params, { bigints: manager.bigints });
  const rowOf = new Map<string, number>();
  const decoded: T["model"][] = [];
  for (let i = 0; i < result.rowCount; i++) {
    const instance = manager.decode(result.reader, i);
    decoded.push(instance);
    const key = filterKey(
      dialect,
      manager,
      pk,
      (instance as unknown as Record<string, unknown>)[pk.name],
    );
    rowOf.set(String(key), i);
  }
  const used = new Set<number>();
  return keys.map((key) => {
    const i = rowOf.get(String(key));
    if (i === undefined)
      throw new NotSupportedError(
        `${manager.meta.name}: a row upserted was not found by its ${pk.name} afterwards: it matched ` +
          `another unique key and updated the row holding that one, which cannot be told without ` +
          "INSERT … RETURNING; the statement was rolled back. Insert those rows without onConflict, " +
          "or give them the key of the row to update",
        dialect.name,
      );
    // A key listed twice (two rows upserting one row): an instance each, as RETURNING gives.
    if (used.has(i)) return manager.decode(result.reader, i);
    used.add(i);
    return decoded[i]!;
  });
}
