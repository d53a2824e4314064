/**
 * `yara-gen --watch`: regenerate whenever the schema file changes. Watches the schema's
 * directory (editors often save by writing a new file and renaming it over the old one),
 * debounces bursts of events, skips saves that did not change the text, and never lets a bad
 * schema stop the loop: problems are printed and the next save is picked up as usual.
 */
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { SchemaReadCache } from "../schema/compile.js";
import { EmitCache } from "./emit.js";
import { formatProblem, generate } from "./generate.js";
import { writeFiles } from "./write.js";

export interface WatchOptions {
  readonly schema: string;
  readonly out: string;
  /** `js` (default): `.js` and `.d.ts` files; `ts`: `.ts` files. */
  readonly language?: "js" | "ts";
  readonly debounceMs?: number;
  readonly log?: (line: string) => void;
}

export interface Watcher {
  close(): void;
}

export function watchSchema(options: WatchOptions): Watcher {
  const log = options.log ?? ((line: string) => console.log(line));
  const file = basename(options.schema);
  let lastText: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const emitCache = new EmitCache();
  const readCache = new SchemaReadCache();
  // The files of the last successful run: later runs compare with them, not with the disk.
  let written: ReadonlyMap<string, string> | undefined;

  async function regenerate(): Promise<void> {
    const started = performance.now();
    let text: string;
    try {
      text = await readFile(options.schema, "utf8");
    } catch (error) {
      log(`yara-gen: cannot read ${options.schema}: ${(error as Error).message}`);
      return;
    }
    if (text === lastText) return;
    lastText = text;
    const result = await generate(options.schema, options.out, {
      sourceText: text,
      emitCache,
      readCache,
      ...(options.language === undefined ? {} : { language: options.language }),
    });
    if (!result.ok) {
      for (const p of result.problems) log(formatProblem(p));
      log(
        `yara-gen: ${result.problems.length} problem(s) in ${options.schema}; waiting for changes`,
      );
      return;
    }
    const outcome = await writeFiles(options.out, result.files, written);
    written = result.files;
    const ms = Math.round(performance.now() - started);
    const changed = outcome.written.length + outcome.removed.length;
    log(`yara-gen: regenerated ${options.out} in ${ms} ms (${changed} file(s) changed)`);
  }

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = regenerate()
      .catch((error: unknown) => log(`yara-gen: ${(error as Error).stack ?? String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  }

  const watcher: FSWatcher = watch(dirname(options.schema), (_event, name) => {
    if (name !== null && name !== file) return;
    clearTimeout(timer);
    timer = setTimeout(run, options.debounceMs ?? 10);
  });
  run();
  log(`yara-gen: watching ${options.schema} (Ctrl-C to stop)`);

  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
