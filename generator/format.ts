/**
 * Formats generated files with prettier (printWidth 100), the repository's style.
 *
 * Prettier is most of a cold run's cost (about 15 ms per model file), so: it is imported only
 * when something is formatted, files are formatted one after another (all at once keeps every
 * syntax tree alive together and costs more in garbage collection than it saves), and the
 * `babel-ts` parser is used, which prints the same output as `typescript` for the code the
 * emitters write (tests/generator/format.test.ts holds it to that) in two thirds of
 * the time. A large client is spread over the cores (`format-workers.ts`). A `FormatCache`
 * lets watch mode reformat only the files whose emit changed.
 */
import type { Options } from "prettier";
import { formatOnThreads, formatThreads } from "./format-workers.js";

const PRETTIER_OPTIONS: Options = { parser: "babel-ts", printWidth: 100 };

type Prettier = typeof import("prettier");

let loading: Promise<Prettier> | undefined;

function prettier(): Promise<Prettier> {
  return (loading ??= import("prettier"));
}

/**
 * Formatted output by raw emit, kept from one generation to the next: a run with the cache
 * formats only sources it has not seen, and afterwards keeps just the sources of that run.
 */
export class FormatCache {
  private entries = new Map<string, string>();

  get(source: string): string | undefined {
    return this.entries.get(source);
  }

  /** Replaces the cache with the pairs of the latest run. */
  keep(pairs: ReadonlyMap<string, string>): void {
    this.entries = new Map(pairs);
  }

  get size(): number {
    return this.entries.size;
  }
}

async function formatSource(source: string): Promise<string> {
  return (await prettier()).format(source, PRETTIER_OPTIONS);
}

/** Formats every file of an `emit` result, keeping its order; `cache` skips known sources. */
export async function formatFiles(
  files: ReadonlyMap<string, string>,
  cache?: FormatCache,
): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  const todo = new Set<string>();
  for (const source of files.values()) {
    const cached = cache?.get(source);
    if (cached === undefined) todo.add(source);
    else known.set(source, cached);
  }
  const sources = [...todo];
  const threads = formatThreads(sources.length);
  const outputs =
    threads > 1
      ? await formatOnThreads(sources, PRETTIER_OPTIONS, threads, formatSource)
      : await sequentially(sources, formatSource);
  sources.forEach((source, i) => {
    const output = outputs[i];
    if (output === undefined) throw new Error(`prettier returned no output for file ${i + 1}`);
    known.set(source, output);
  });
  cache?.keep(known);
  const formatted = new Map<string, string>();
  for (const [path, source] of files) formatted.set(path, known.get(source) ?? source);
  return formatted;
}

async function sequentially(
  sources: readonly string[],
  format: (source: string) => Promise<string>,
): Promise<string[]> {
  const outputs: string[] = [];
  for (const source of sources) outputs.push(await format(source));
  return outputs;
}
