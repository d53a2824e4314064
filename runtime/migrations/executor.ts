/**
 * Applies and reverts a migrations folder against a database. Each migration runs in its own
 * transaction that first takes the migration lock (history.ts) and re-reads the history, so two
 * processes migrating at once apply each migration exactly once. A failing statement rolls its
 * migration back whole; the error names the file. On SQLite, foreign-key enforcement is turned
 * off around each transaction (it cannot change inside one) for the table rebuilds, and
 * `PRAGMA foreign_key_check` must come back empty before the migration commits.
 */
import type { Dialect, DialectName } from "../dialect/dialect.js";
import { dialectNamed } from "../dialect/registry.js";
import type { Driver } from "../driver/driver.js";
import { MigrationError, NotSupportedError } from "../errors.js";
import { loadMigrations } from "./folder.js";
import {
  ensureHistoryTable,
  historyExists,
  readHistory,
  recordApplied,
  recordReverted,
  takeMigrationLock,
  type AppliedMigration,
} from "./history.js";
import type { MigrationContext } from "./operation.js";
import { migrationSteps, planMigrations, targetIndex, type MigrationPlan } from "./plan.js";
import type { Step } from "./render.js";

export interface MigrateOptions {
  /** The migrations folder. */
  readonly dir: string;
  /**
   * The named connection to migrate (`YaraOrm.init({ connections })`), with the folder made for
   * its models (`migrations make --connection`); default "default".
   */
  readonly using?: string;
  /** Up: the last migration to apply (default: all). Down: the migration to end at, or "zero". */
  readonly target?: string;
  readonly direction?: "up" | "down";
}

export interface MigrateResult {
  /** Migrations this call applied (up) or reverted (down), in the order it did so. */
  readonly done: readonly string[];
}

export interface MigrationStatus {
  readonly name: string;
  readonly applied: boolean;
  readonly appliedAt?: string;
}

/**
 * A NotSupportedError where the database cannot run migrations (Dialect.supports.transactionalDdl):
 * MySQL commits every DDL statement on its own, so a failed migration could not be rolled back.
 */
export function refuseWithoutMigrations(dialect: Dialect): void {
  if (dialect.supports.transactionalDdl) return;
  throw new NotSupportedError(
    `migrations are not supported on ${dialect.title}: it commits every DDL statement on its own, ` +
      "so a migration that failed halfway could not be rolled back. Create tables with YaraOrm.generateSchemas()",
    dialect.name,
  );
}

export async function runMigrations(
  driver: Driver,
  options: MigrateOptions,
): Promise<MigrateResult> {
  refuseWithoutMigrations(driver.dialect);
  const plan = planMigrations(await loadMigrations(options.dir));
  const last = plan.migrations.length - 1;
  const direction = options.direction ?? "up";
  if (direction === "down" && options.target === undefined)
    throw new MigrationError('migrating down needs a target: a migration name, or "zero" for none');
  const target = options.target === undefined ? last : targetIndex(plan, options.target);
  await driver.transaction(async (conn) => {
    await takeMigrationLock(conn);
    await ensureHistoryTable(conn);
  });
  checkHistory(plan, await readHistory(driver));
  const done: string[] = [];
  if (direction === "up") {
    for (let i = 0; i <= target; i++)
      if (await applyOne(driver, plan, i, "up")) done.push(plan.migrations[i]!.name);
  } else {
    for (let i = last; i > target; i--)
      if (await applyOne(driver, plan, i, "down")) done.push(plan.migrations[i]!.name);
  }
  return { done };
}

/**
 * Records the migrations up to `target` (default: all) as applied without running them: for a
 * database whose tables already match them (made by `generateSchemas()`, or adopted).
 */
export async function baselineMigrations(
  driver: Driver,
  options: { readonly dir: string; readonly target?: string },
): Promise<MigrateResult> {
  refuseWithoutMigrations(driver.dialect);
  const plan = planMigrations(await loadMigrations(options.dir));
  const target =
    options.target === undefined ? plan.migrations.length - 1 : targetIndex(plan, options.target);
  return driver.transaction(async (conn) => {
    await takeMigrationLock(conn);
    await ensureHistoryTable(conn);
    const history = await readHistory(conn);
    checkHistory(plan, history);
    const applied = new Set(history.map((h) => h.name));
    const done: string[] = [];
    for (const m of plan.migrations.slice(0, target + 1)) {
      if (applied.has(m.name)) continue;
      await recordApplied(conn, m.name, m.checksum);
      done.push(m.name);
    }
    return { done };
  });
}

export async function migrationStatus(driver: Driver, dir: string): Promise<MigrationStatus[]> {
  refuseWithoutMigrations(driver.dialect);
  const plan = planMigrations(await loadMigrations(dir));
  const history = (await historyExists(driver)) ? await readHistory(driver) : [];
  checkHistory(plan, history);
  const applied = new Map(history.map((h) => [h.name, h]));
  return plan.migrations.map((m) => {
    const h = applied.get(m.name);
    return h === undefined
      ? { name: m.name, applied: false }
      : { name: m.name, applied: true, appliedAt: h.appliedAt };
  });
}

/** Every applied migration still has its file, unchanged, and they are a prefix of the folder. */
function checkHistory(plan: MigrationPlan, history: readonly AppliedMigration[]): void {
  const byName = new Map(plan.migrations.map((m) => [m.name, m]));
  for (const h of history) {
    const m = byName.get(h.name);
    if (m === undefined)
      throw new MigrationError(
        `migration ${h.name} is applied to the database but its file is not in the folder`,
      );
    if (m.checksum !== h.checksum)
      throw new MigrationError(
        `${m.file} was edited after it was applied (checksum ${m.checksum.slice(0, 12)}…, applied as ` +
          `${h.checksum.slice(0, 12)}…); restore it and write a new migration for the change`,
        { file: m.file },
      );
  }
}

/** Applies (or reverts) migration i unless another process already did; true when this call did. */
async function applyOne(
  driver: Driver,
  plan: MigrationPlan,
  i: number,
  direction: "up" | "down",
): Promise<boolean> {
  const m = plan.migrations[i]!;
  const rebuilds = driver.dialect.migrations.rebuildsTables;
  // SQLite: enforcement off for the table rebuilds (foreign_key_check below instead), switched
  // by the driver while the transaction holds the connection, so nothing else runs without it.
  return driver.transaction(
    async (conn) => {
      await takeMigrationLock(conn);
      const history = await readHistory(conn);
      checkHistory(plan, history);
      const applied = new Set(history.map((h) => h.name));
      if (direction === "up") {
        if (applied.has(m.name)) return false;
        const missing = plan.migrations.slice(0, i).find((p) => !applied.has(p.name));
        if (missing !== undefined)
          throw new MigrationError(
            `${m.file}: the migration before it, ${missing.name}, is not applied`,
            { file: m.file },
          );
      } else {
        if (!applied.has(m.name)) return false;
        const later = plan.migrations.slice(i + 1).find((p) => applied.has(p.name));
        if (later !== undefined)
          throw new MigrationError(`${m.file}: ${later.name}, after it, is still applied`, {
            file: m.file,
          });
      }
      await runSteps(conn, m.file, migrationSteps(plan, i, driver.dialect, direction));
      if (rebuilds) await checkForeignKeys(conn, m.file);
      if (direction === "up") await recordApplied(conn, m.name, m.checksum);
      else await recordReverted(conn, m.name);
      return true;
    },
    { foreignKeysOff: rebuilds },
  );
}

async function runSteps(conn: Driver, file: string, steps: readonly Step[]): Promise<void> {
  const ctx = migrationContext(conn);
  for (const [n, step] of steps.entries()) {
    try {
      if (typeof step === "string") await conn.execute(step, []);
      else await step(ctx);
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      const what = typeof step === "string" ? stepHead(step) : codeStepHead(step);
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        `${file}: step ${n + 1} failed (${what}): ${reason}; the migration was rolled back`,
        {
          file,
          cause: error,
        },
      );
    }
  }
}

/**
 * A failed statement as its error names it: its first line, cut after 100 characters (a copy
 * of a wide table, or a check carrying its own message); `migrations sql` prints it whole.
 */
function stepHead(sql: string): string {
  const line = sql.split("\n")[0]!;
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/**
 * A failed function step as its error names it: a step yara adds (a check, SQLite's saved views)
 * by the first words of its description, cut as a statement is; a `runCode` step as "runCode".
 */
function codeStepHead(step: Exclude<Step, string>): string {
  const description = (step as { description?: string }).description;
  return description === undefined ? "runCode" : stepHead(description.replace(/^-- /, ""));
}

async function checkForeignKeys(conn: Driver, file: string): Promise<void> {
  const result = await conn.query(conn.dialect.migrations.foreignKeyCheckSql!, []);
  if (result.rowCount === 0) return;
  const table = String(result.reader.value(0, 0));
  const parent = String(result.reader.value(2, 0));
  throw new MigrationError(
    `${file}: ${result.rowCount} row(s) break a foreign key (first: table ${table} → ${parent}); the migration was rolled back`,
    { file },
  );
}

function migrationContext(conn: Driver): MigrationContext {
  return {
    dialect: conn.dialect.name,
    execute: (sql, params = []) => conn.execute(sql, params),
    query: async (sql, params = []) => {
      const result = await conn.query(sql, params);
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < result.rowCount; i++) {
        const row: Record<string, unknown> = {};
        result.columns.forEach((name, c) => {
          row[name] = result.reader.value(c, i);
        });
        rows.push(row);
      }
      return rows;
    },
  };
}

/** The SQL of one migration for a dialect, up or down, as `migrations sql` prints it. */
export async function migrationSql(
  dir: string,
  name: string,
  dialect: DialectName,
  direction: "up" | "down",
): Promise<string[]> {
  refuseWithoutMigrations(dialectNamed(dialect));
  const plan = planMigrations(await loadMigrations(dir));
  const i = targetIndex(plan, name);
  if (i < 0) throw new MigrationError('"zero" is not a migration');
  return migrationSteps(plan, i, dialectNamed(dialect), direction).map((s) =>
    typeof s === "string"
      ? `${s};`
      : ((s as { description?: string }).description ??
        "-- runCode: a function run on the migration's transaction"),
  );
}
