/** Command-line arguments of `yara-gen`; anything unexpected is a usage error (exit 2). */
import { parseArgs } from "node:util";

export const USAGE = `Usage: yara-gen <schema-file> --out <dir> [--check | --watch] [--language ts]

Generates a typed yara client from a schema file: per model a .js file and its .d.ts
declarations, and index.js / index.d.ts, the module an application imports.

Options:
  --out <dir>  directory to write the generated files to (required)
  --check      write nothing; exit 1 if <dir> differs from what would be generated
  --watch      regenerate whenever the schema file is saved (Ctrl-C to stop)
  --language   js (default): .js files and their .d.ts declarations; ts: .ts files, for a
               project that compiles the client with its own sources (tsc into an outDir,
               CommonJS)
  --help       show this message

Also: yara-gen migrations …  (schema migrations; yara-gen migrations --help)
      yara-gen doctor        (the engine, drivers and SQLite this installation uses)`;

export interface CliArgs {
  readonly schema: string;
  readonly out: string;
  readonly mode: "generate" | "check" | "watch";
  readonly language: "js" | "ts";
}

export type ParsedArgs =
  | { readonly kind: "run"; readonly args: CliArgs }
  | { readonly kind: "help" }
  | { readonly kind: "usage"; readonly error: string };

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string", short: "o" },
        check: { type: "boolean" },
        watch: { type: "boolean" },
        language: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "usage", error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (positionals.length !== 1) return { kind: "usage", error: "expected exactly one schema file" };
  if (!values.out) return { kind: "usage", error: "--out <dir> is required" };
  if (values.check && values.watch)
    return { kind: "usage", error: "--check and --watch exclude each other" };
  const language = values.language ?? "js";
  if (language !== "js" && language !== "ts")
    return { kind: "usage", error: `--language is js or ts, not ${language}` };
  const mode = values.check ? "check" : values.watch ? "watch" : "generate";
  return { kind: "run", args: { schema: positionals[0] ?? "", out: values.out, mode, language } };
}
