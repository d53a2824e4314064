/** Command-line arguments of `yara-gen migrations …`; anything unexpected is a usage error (exit 2). */
import { parseArgs } from "node:util";
import { parseRenames, type Renames } from "./renames.js";

export const MIGRATIONS_USAGE = `Usage: yara-gen migrations <command> [options]

Commands:
  make <schema-file> --dir <dir> [--name <name>] [--connection <name>]
       [--rename Model.old=new | --rename Old=New]...
                 write the next migration: what the schema changes since the folder's migrations
                 (the models of one named connection: --connection, default "default")
  check <schema-file> --dir <dir> [--connection <name>] [--rename …]
                 exit 1, naming them, if the schema has changes no migration captures
  migrate --url <database-url> --dir <dir> [--target <migration>]
                 apply the pending migrations (up to --target)
  down <target> --url <database-url> --dir <dir>
                 revert the applied migrations after <target> ("zero": all of them)
  status --url <database-url> --dir <dir>
                 list the migrations, applied or pending
  baseline --url <database-url> --dir <dir> [--target <migration>]
                 record the migrations (up to --target) as applied without running them, for a
                 database whose tables already match (made by generateSchemas(), or adopted)
  sql <migration> --dir <dir> --dialect <sqlite|postgres> [--down]
                 print the SQL a migration runs (no database needed)
  pull <database-url> --out <schema-file>
                 write a schema file from a live database's tables (then yara-gen, make, baseline)

--url defaults to the YARA_DATABASE_URL environment variable.`;

export type MigrationsCommand =
  | {
      readonly command: "make" | "check";
      readonly schema: string;
      readonly dir: string;
      readonly name?: string;
      /** The named connection whose models the folder holds; default "default". */
      readonly connection?: string;
      readonly renames: Renames;
    }
  | {
      readonly command: "migrate" | "baseline";
      readonly url: string;
      readonly dir: string;
      readonly target?: string;
    }
  | {
      readonly command: "down";
      readonly url: string;
      readonly dir: string;
      readonly target: string;
    }
  | { readonly command: "status"; readonly url: string; readonly dir: string }
  | { readonly command: "pull"; readonly url: string; readonly out: string }
  | {
      readonly command: "sql";
      readonly dir: string;
      readonly migration: string;
      readonly dialect: "sqlite" | "postgres";
      readonly down: boolean;
    };

export type ParsedMigrationsArgs =
  | { readonly kind: "run"; readonly args: MigrationsCommand }
  | { readonly kind: "help" }
  | { readonly kind: "usage"; readonly error: string };

export function parseMigrationsArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedMigrationsArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        dir: { type: "string" },
        name: { type: "string" },
        connection: { type: "string" },
        rename: { type: "string", multiple: true },
        url: { type: "string" },
        target: { type: "string" },
        dialect: { type: "string" },
        out: { type: "string" },
        down: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "usage", error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: "help" };
  const [command, ...rest] = positionals;
  const usage = (error: string): ParsedMigrationsArgs => ({ kind: "usage", error });
  if (command === "pull") {
    if (rest.length !== 1) return usage("pull expects one database URL");
    if (!values.out) return usage("pull needs --out <schema-file>");
    return { kind: "run", args: { command, url: rest[0]!, out: values.out } };
  }
  if (!values.dir) return usage("--dir <dir> is required");
  const dir = values.dir;
  const one = (): string | undefined => (rest.length === 1 ? rest[0] : undefined);
  if (values.connection !== undefined && command !== "make" && command !== "check")
    return usage(
      "--connection is for make and check; the other commands run on the database --url names",
    );
  switch (command) {
    case "make":
    case "check": {
      const schema = one();
      if (schema === undefined) return usage(`${command} expects exactly one schema file`);
      const renames = parseRenames(values.rename ?? []);
      if ("error" in renames) return usage(renames.error);
      if (command === "check" && values.name !== undefined) return usage("--name is for make");
      if (values.connection === "") return usage("--connection needs a connection name");
      return {
        kind: "run",
        args: {
          command,
          schema,
          dir,
          renames: renames.renames,
          ...(values.name === undefined ? {} : { name: values.name }),
          ...(values.connection === undefined ? {} : { connection: values.connection }),
        },
      };
    }
    case "migrate":
    case "baseline":
    case "down":
    case "status": {
      const url = values.url ?? env.YARA_DATABASE_URL;
      if (url === undefined || url === "")
        return usage(`${command} needs --url <database-url> (or YARA_DATABASE_URL)`);
      if (command === "status")
        return rest.length === 0
          ? { kind: "run", args: { command, url, dir } }
          : usage("status takes no arguments");
      if (command === "down") {
        const target = one();
        if (target === undefined)
          return usage('down expects one target: a migration name, or "zero"');
        return { kind: "run", args: { command, url, dir, target } };
      }
      if (rest.length > 0) return usage(`${command} takes no arguments; use --target <migration>`);
      return {
        kind: "run",
        args: {
          command,
          url,
          dir,
          ...(values.target === undefined ? {} : { target: values.target }),
        },
      };
    }
    case "sql": {
      const migration = one();
      if (migration === undefined) return usage("sql expects one migration name");
      if (values.dialect !== "sqlite" && values.dialect !== "postgres")
        return usage("sql needs --dialect sqlite or --dialect postgres");
      return {
        kind: "run",
        args: { command, dir, migration, dialect: values.dialect, down: values.down === true },
      };
    }
    default:
      return usage(`unknown migrations command "${command}"`);
  }
}
