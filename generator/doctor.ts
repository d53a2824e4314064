/**
 * `yara-gen doctor`: what this installation runs on — Node and the platform triple, the native
 * engine (where it was found, or why not and the fix), the driver each database gets when none
 * is asked for, and each SQLite driver's SQLite (version, compile options). Always exit 0 unless
 * the arguments are wrong: it reports, it does not judge. Labels are fixed, one fact per line.
 */
import type { Diagnosis, DriverChoice, SqliteBuild } from "yara-orm/internal";

export const DOCTOR_USAGE = `Usage: yara-gen doctor

Prints the native engine (loaded or not, where from, why not), the driver each database would
use, the SQLite version and compile options of each SQLite driver, Node and the platform.`;

const WIDTH = 24;
const label = (name: string): string => `${name}:`.padEnd(WIDTH);
const more = " ".repeat(WIDTH);

const SOURCES = {
  override: "YARA_NATIVE_ADDON",
  "platform-package": "the platform package",
  "local-build": "a local build",
} as const;

/** The report, one line per element. */
export function formatDiagnosis(d: Diagnosis): string[] {
  const lines = [
    `${label("node")}${d.node}`,
    `${label("platform")}${d.triple}`,
    `${label("engine package")}${d.enginePackage ?? `none published for ${d.triple}`}`,
  ];
  const e = d.engine;
  if (e.loaded && e.source !== null) {
    lines.push(`${label("engine")}loaded from ${SOURCES[e.source]}: ${e.path ?? "?"}`);
  } else {
    lines.push(`${label("engine")}not loaded: ${e.problem ?? "unknown reason"}`);
    lines.push(`${label("fix")}${e.fix ?? "see docs/install.md"}`);
  }
  e.tried.forEach((t, i) => lines.push(`${i === 0 ? label("looked at") : more}${t}`));
  lines.push(`${label("postgres driver")}${choice(d.drivers.postgres, e.loaded)}`);
  lines.push(`${label("sqlite driver")}${choice(d.drivers.sqlite, e.loaded)}`);
  for (const build of d.sqlite) lines.push(...sqlite(build, d.sqlite));
  lines.push(`${label("pg")}${d.packages.pg ?? "not installed"}`);
  lines.push(`${label("better-sqlite3")}${d.packages["better-sqlite3"] ?? "not installed"}`);
  return lines;
}

function choice(c: DriverChoice, engineLoaded: boolean): string {
  if (c.driver === null) return `none: ${c.problem ?? "unknown reason"}`;
  if (c.driver === "native" || engineLoaded) return c.driver;
  return `${c.driver} (the native engine is not loaded)`;
}

function sqlite(build: SqliteBuild, all: readonly SqliteBuild[]): string[] {
  const head = label(`sqlite ${build.driver}`);
  if (build.version === undefined) return [`${head}not available: ${build.problem ?? "unknown"}`];
  const options = build.compileOptions ?? [];
  const earlier = all.find((b) => b !== build && b.version !== undefined);
  const same =
    earlier !== undefined &&
    all.indexOf(earlier) < all.indexOf(build) &&
    earlier.version === build.version &&
    (earlier.compileOptions ?? []).join(",") === options.join(",");
  if (same) return [`${head}${build.version}, the same build as sqlite ${earlier.driver}`];
  return [`${head}${build.version}`, ...wrap(`compile options (${options.length}):`, options)];
}

/** `title` then the items, space-separated, in lines of at most 100 characters. */
function wrap(title: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `${more}${title}`;
  for (const item of items) {
    if (line.length + 1 + item.length > 100) {
      lines.push(line);
      line = `${more}  ${item}`;
    } else {
      line += ` ${item}`;
    }
  }
  lines.push(line);
  return lines;
}

export async function doctorMain(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(DOCTOR_USAGE);
    return 0;
  }
  if (argv.length > 0) {
    console.error(`yara-gen doctor: unexpected argument "${argv[0]}"\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  const { diagnose } = await import("yara-orm/internal");
  console.log(formatDiagnosis(await diagnose()).join("\n"));
  return 0;
}
