/**
 * `yara-gen migrations make|check|migrate|down|status|sql`.
 * Exit codes: 0 done (make/check with no changes print "no changes"), 1 schema problems, a
 * migration error, or (check) changes no migration captures, 2 usage.
 */
import { MigrationError, setTypeScriptLoader, YaraError } from "yara-orm/internal";
import { MIGRATIONS_USAGE, parseMigrationsArgs, type MigrationsCommand } from "./args.js";

/** yara-gen's own tsx, so `.ts` migration files load on any Node without the app installing one. */
async function registerTsx(): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register();
}

async function withDatabase<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const { YaraOrm } = await import("yara-orm/internal");
  await YaraOrm.init(url);
  try {
    return await fn();
  } finally {
    await YaraOrm.close();
  }
}

async function run(args: MigrationsCommand): Promise<number> {
  switch (args.command) {
    case "make":
    case "check": {
      const { detectChanges, describeOperations, makeMigration } = await import("./make.js");
      const { formatProblem } = await import("../../schema/compile.js");
      const options = {
        schema: args.schema,
        dir: args.dir,
        renames: args.renames,
        ...(args.name === undefined ? {} : { name: args.name }),
        ...(args.connection === undefined ? {} : { connection: args.connection }),
      };
      const result =
        args.command === "make" ? await makeMigration(options) : await detectChanges(options);
      if (result.kind === "problems") {
        for (const p of result.problems) console.error(formatProblem(p));
        return 1;
      }
      for (const { model, connection } of result.elsewhere ?? [])
        console.error(
          `note: ${model} lives on connection "${connection}": not in ${args.dir} ` +
            `(its migrations: --connection ${connection} --dir <a folder of its own>)`,
        );
      if (result.kind === "none") {
        console.log("no changes");
        return 0;
      }
      for (const hint of result.hints) console.error(`note: ${hint}`);
      if (args.command === "check") {
        console.error(`${args.schema} has changes no migration in ${args.dir} captures:`);
        for (const line of describeOperations(result.operations)) console.error(`  ${line}`);
        console.error(`Run: yara-gen migrations make ${args.schema} --dir ${args.dir}`);
        return 1;
      }
      console.log(`wrote ${result.file} (${result.operations.length} operation(s))`);
      return 0;
    }
    case "migrate":
    case "down": {
      const { runMigrations } = await import("yara-orm/internal");
      const { YaraOrm } = await import("yara-orm/internal");
      const result = await withDatabase(args.url, () =>
        runMigrations(YaraOrm.driver, {
          dir: args.dir,
          direction: args.command === "down" ? "down" : "up",
          ...(args.target === undefined ? {} : { target: args.target }),
        }),
      );
      const verb = args.command === "down" ? "reverted" : "applied";
      if (result.done.length === 0) console.log(`nothing to do`);
      for (const name of result.done) console.log(`${verb} ${name}`);
      return 0;
    }
    case "baseline": {
      const { baselineMigrations } = await import("yara-orm/internal");
      const { YaraOrm } = await import("yara-orm/internal");
      const result = await withDatabase(args.url, () =>
        baselineMigrations(YaraOrm.driver, {
          dir: args.dir,
          ...(args.target === undefined ? {} : { target: args.target }),
        }),
      );
      if (result.done.length === 0) console.log("nothing to do");
      for (const name of result.done) console.log(`recorded ${name} as applied (not run)`);
      return 0;
    }
    case "status": {
      const { migrationStatus } = await import("yara-orm/internal");
      const { YaraOrm } = await import("yara-orm/internal");
      const rows = await withDatabase(args.url, () => migrationStatus(YaraOrm.driver, args.dir));
      if (rows.length === 0) console.log(`no migrations in ${args.dir}`);
      for (const row of rows)
        console.log(
          row.applied ? `[x] ${row.name}  (applied ${row.appliedAt})` : `[ ] ${row.name}`,
        );
      return 0;
    }
    case "pull": {
      const { pullToFile } = await import("../pull/pull.js");
      const { YaraOrm } = await import("yara-orm/internal");
      const shown = new URL(args.url);
      shown.password = "";
      await withDatabase(args.url, () => pullToFile(YaraOrm.driver, shown.toString(), args.out));
      console.log(
        `wrote ${args.out}; next: yara-gen ${args.out} --out <dir>, migrations make, migrations baseline`,
      );
      return 0;
    }
    case "sql": {
      const { migrationSql } = await import("yara-orm/internal");
      const lines = await migrationSql(
        args.dir,
        args.migration,
        args.dialect,
        args.down ? "down" : "up",
      );
      console.log(lines.join("\n"));
      return 0;
    }
  }
}

export async function migrationsMain(argv: readonly string[]): Promise<number> {
  const parsed = parseMigrationsArgs(argv);
  if (parsed.kind === "help") {
    console.log(MIGRATIONS_USAGE);
    return 0;
  }
  if (parsed.kind === "usage") {
    console.error(`yara-gen migrations: ${parsed.error}\n\n${MIGRATIONS_USAGE}`);
    return 2;
  }
  try {
    setTypeScriptLoader(registerTsx);
    return await run(parsed.args);
  } catch (error) {
    if (
      error instanceof MigrationError ||
      error instanceof YaraError ||
      (error instanceof Error && error.name === "RenameProblem")
    ) {
      console.error(`yara-gen migrations: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
