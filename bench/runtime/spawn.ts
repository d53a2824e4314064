/**
 * Child processes of the bench (runtime/child.ts, bundled by runtime/prepare.ts), each a fresh
 * Node process: `runCheck` runs one check and reads its one reply line; `ServedChild` keeps a
 * library open for one workload and answers the orchestrator's commands one line at a time. A
 * child that fails rejects with its error line, so the orchestrator can report why a subject has
 * no number.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  REPLY_PREFIX,
  type CheckReply,
  type ChildRequest,
  type ServeCommand,
  type ServeReply,
  type WarmReply,
  type WindowReply,
} from "./protocol.js";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL("../.data/build", import.meta.url));

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

function startChild(request: ChildRequest, env: NodeJS.ProcessEnv): Child {
  return spawn(process.execPath, [join(BUILD_DIR, "child.mjs"), JSON.stringify(request)], {
    cwd: BENCH_DIR,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Everything the child wrote on stderr so far, for its error line. */
function collectStderr(child: Child): () => string {
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return () => stderr;
}

/** Runs a check in a fresh process and reads its one reply line. */
export function runCheck(
  request: Extract<ChildRequest, { kind: "check" }>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckReply> {
  return new Promise((resolve, reject) => {
    const child = startChild(request, env);
    child.stdin.end();
    const stderr = collectStderr(child);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(REPLY_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new Error(errorLine(stderr() || stdout || `exit code ${code}`)));
      } else {
        resolve(JSON.parse(line.slice(REPLY_PREFIX.length)) as CheckReply);
      }
    });
  });
}

/**
 * One library kept open in its own process for one workload: `ready` resolves once it is open,
 * then `warm`, `window` and `close` run one command each, one at a time.
 */
export class ServedChild {
  readonly #child: Child;
  readonly #stderr: () => string;
  /** Reply lines not yet taken, and the one command waiting for its reply. */
  readonly #replies: ServeReply[] = [];
  #waiting: { resolve: (reply: ServeReply) => void; reject: (error: Error) => void } | undefined;
  #exit: Error | undefined;
  readonly ready: Promise<void>;

  constructor(request: Extract<ChildRequest, { kind: "serve" }>, env: NodeJS.ProcessEnv) {
    this.#child = startChild(request, env);
    this.#stderr = collectStderr(this.#child);
    createInterface({ input: this.#child.stdout }).on("line", (line) => {
      if (!line.startsWith(REPLY_PREFIX)) return;
      const reply = JSON.parse(line.slice(REPLY_PREFIX.length)) as ServeReply;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting.resolve(reply);
      else this.#replies.push(reply);
    });
    this.#child.stdin.on("error", () => undefined); // a child that died: reported by `close`
    this.#child.on("error", (error) => this.#fail(error));
    this.#child.on("close", (code) => {
      this.#fail(new Error(errorLine(this.#stderr() || `exit code ${code}`)));
    });
    this.ready = this.#next("ready").then(() => undefined);
  }

  warm(warmupMs: number): Promise<WarmReply> {
    return this.#send({ kind: "warm", warmupMs }, "warm");
  }

  window(durationMs: number): Promise<WindowReply> {
    return this.#send({ kind: "window", durationMs }, "window");
  }

  /** Closes the library and waits for the process to end; safe to call after a failure. */
  async close(): Promise<void> {
    if (this.#exit === undefined) {
      await this.#send({ kind: "close" }, "closed").catch(() => undefined);
      this.#child.stdin.end();
    }
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      await new Promise((resolve) => this.#child.once("close", resolve));
    }
  }

  #send<K extends ServeReply["kind"]>(
    command: ServeCommand,
    kind: K,
  ): Promise<Extract<ServeReply, { kind: K }>> {
    if (this.#exit !== undefined) return Promise.reject(this.#exit);
    this.#child.stdin.write(`${JSON.stringify(command)}\n`);
    return this.#next(kind);
  }

  #next<K extends ServeReply["kind"]>(kind: K): Promise<Extract<ServeReply, { kind: K }>> {
    return new Promise<ServeReply>((resolve, reject) => {
      const queued = this.#replies.shift();
      if (queued) resolve(queued);
      else if (this.#exit !== undefined) reject(this.#exit);
      else this.#waiting = { resolve, reject };
    }).then((reply) => {
      if (reply.kind !== kind) throw new Error(`the child answered ${reply.kind}, not ${kind}`);
      return reply as Extract<ServeReply, { kind: K }>;
    });
  }

  #fail(error: Error): void {
    this.#exit ??= error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(this.#exit);
  }
}

/** The message line of a child's uncaught error (`ConfigurationError: …`), else its last lines. */
function errorLine(text: string): string {
  const lines = text.trim().split("\n");
  const error = lines.find((l) => /^\s*([A-Z]\w*)?Error\b.*?: |^error: /.test(l));
  return (error ?? lines.slice(-3).join(" ")).trim().slice(0, 400);
}

/**
 * Runs the bench script `script` (a path under bench/) under tsx in a process of its own, from
 * `cwd` (the repository root unless given), and parses the JSON line it ends with. The script
 * failing is an Error carrying what it printed.
 */
export function runJsonScript<T>(
  script: string,
  args: readonly string[],
  cwd = join(BENCH_DIR, ".."),
): T {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(BENCH_DIR, script), "--json", ...args],
    { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(`bench/${script} failed:\n${result.stderr || result.stdout}`);
  }
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as T;
}
