/**
 * Spreads prettier over the machine's cores for a large client: the calling thread formats one
 * share and each worker thread another, every thread one file after the other. Worth it only
 * when there is much to format: a worker needs ~0.2 s to load prettier before its first file.
 *
 * The worker is a short script given as text, loading prettier by the path this module resolves,
 * so it runs the same from the TypeScript sources (tsx, vitest) and from the compiled `dist/`.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** Below this many files per thread, starting a worker costs more than it saves. */
const FILES_PER_THREAD = 24;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { format } = require(workerData.prettier);
(async () => {
  const formatted = [];
  for (const source of workerData.sources) formatted.push(await format(source, workerData.options));
  parentPort.postMessage(formatted);
})().catch((error) => { throw error; });
`;

/** How many threads (this one included) to format `count` files on. */
export function formatThreads(count: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(count / FILES_PER_THREAD)));
}

function formatInWorker(sources: readonly string[], options: object): Promise<string[]> {
  const prettier = createRequire(import.meta.url).resolve("prettier");
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { prettier, sources, options },
    });
    worker.once("message", (formatted: string[]) => {
      resolve(formatted);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the prettier worker thread exited with code ${code}`));
    });
  });
}

/**
 * Formats `sources` on `threads` threads, results in the order of `sources`. `formatHere`
 * formats one source on the calling thread.
 */
export async function formatOnThreads(
  sources: readonly string[],
  options: object,
  threads: number,
  formatHere: (source: string) => Promise<string>,
): Promise<string[]> {
  const share = Math.ceil(sources.length / threads);
  const elsewhere: Promise<string[]>[] = [];
  for (let start = share; start < sources.length; start += share) {
    elsewhere.push(formatInWorker(sources.slice(start, start + share), options));
  }
  const here: string[] = [];
  for (const source of sources.slice(0, share)) here.push(await formatHere(source));
  return [here, ...(await Promise.all(elsewhere))].flat();
}
