/**
 * Runs one child request (runtime/child.ts, bundled by runtime/prepare.ts) in a fresh Node
 * process and reads its one reply line. A child that fails rejects with its stderr, so the orchestrator can report
 * why a subject has no number.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPLY_PREFIX, type CheckReply, type ChildRequest, type MeasureReply } from "./protocol.js";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL("../.data/build", import.meta.url));

/** Runs `args` under Node from bench/. */
function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: BENCH_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runChild(
  request: Extract<ChildRequest, { kind: "check" }>,
  env?: NodeJS.ProcessEnv,
): Promise<CheckReply>;
export async function runChild(
  request: Extract<ChildRequest, { kind: "measure" }>,
  env?: NodeJS.ProcessEnv,
): Promise<MeasureReply>;
export async function runChild(
  request: ChildRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckReply | MeasureReply> {
  const { code, stdout, stderr } = await runNode(
    [join(BUILD_DIR, "child.mjs"), JSON.stringify(request)],
    env,
  );
  const line = stdout.split("\n").find((l) => l.startsWith(REPLY_PREFIX));
  if (code !== 0 || line === undefined) {
    throw new Error(errorLine(stderr || stdout || `exit code ${code}`));
  }
  return JSON.parse(line.slice(REPLY_PREFIX.length)) as CheckReply | MeasureReply;
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
