#!/usr/bin/env node
/**
 * `yara-gen <schema> --out <dir> [--check | --watch] [--language ts]`, `yara-gen migrations …` (migrations/cli.ts)
 * and `yara-gen doctor` (doctor.ts).
 * Exit codes: 0 done, 1 schema problems or (with --check) an out-of-date directory, 2 usage.
 * The schema reader (TypeScript's parser), zod and prettier are imported only once the arguments call for
 * them, so `--help` and usage errors answer at once.
 */
import module from "node:module";
import { parseCliArgs, USAGE, type CliArgs } from "./args.js";
import { missingRuntimeMessage } from "./missing-runtime.js";

// Node 22.1+ keeps compiled code on disk between runs: loading TypeScript (its 9 MB
// compiler) is then no longer parsed anew by every cold run (~250 ms). Node 20 has no such API.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function once(args: CliArgs): Promise<number> {
  const started = performance.now();
  const { formatProblem, generate } = await import("./generate.js");
  const { compareFiles, isClean, writeFiles } = await import("./write.js");
  const result = await generate(args.schema, args.out, { language: args.language });
  if (!result.ok) {
    for (const p of result.problems) console.error(formatProblem(p));
    console.error(`yara-gen: ${result.problems.length} problem(s) in ${args.schema}`);
    return 1;
  }
  if (args.mode === "check") {
    const diff = await compareFiles(args.out, result.files);
    if (isClean(diff)) {
      console.log(`yara-gen: ${args.out} is up to date`);
      return 0;
    }
    console.error(`yara-gen: ${args.out} is out of date with ${args.schema}:`);
    for (const name of diff.stale) console.error(`  stale:   ${name}`);
    for (const name of diff.missing) console.error(`  missing: ${name}`);
    for (const name of diff.extra) console.error(`  extra:   ${name}`);
    console.error(`Run: yara-gen ${args.schema} --out ${args.out}`);
    return 1;
  }
  const written = await writeFiles(args.out, result.files);
  const ms = Math.round(performance.now() - started);
  console.log(
    `yara-gen: ${result.files.size} file(s) in ${args.out} (${written.written.length} written, ` +
      `${written.removed.length} removed) in ${ms} ms`,
  );
  return 0;
}

async function watchUntilInterrupted(args: CliArgs): Promise<void> {
  const { watchSchema } = await import("./watch.js");
  const watcher = watchSchema({ schema: args.schema, out: args.out, language: args.language });
  const stop = (): void => {
    watcher.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === "migrations") {
    const { migrationsMain } = await import("./migrations/cli.js");
    process.exitCode = await migrationsMain(argv.slice(1));
    return;
  }
  if (argv[0] === "doctor") {
    const { doctorMain } = await import("./doctor.js");
    process.exitCode = await doctorMain(argv.slice(1));
    return;
  }
  const parsed = parseCliArgs(argv);
  if (parsed.kind === "help") {
    console.log(USAGE);
    return;
  }
  if (parsed.kind === "usage") {
    console.error(`yara-gen: ${parsed.error}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.args.mode === "watch") {
    await watchUntilInterrupted(parsed.args);
    return;
  }
  process.exitCode = await once(parsed.args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(missingRuntimeMessage(error) ?? error);
  process.exitCode = 1;
});
