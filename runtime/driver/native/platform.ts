/**
 * Which platform package carries the prebuilt engine for a machine: napi-rs's naming,
 * `@yara-orm/engine-<platform>-<arch>[-<abi>]` (`linux-x64-gnu`, `darwin-arm64`,
 * `win32-x64-msvc`, …), each package holding one `yara_native.node` (its package.json `main`).
 * The loader (addon.ts) resolves the name from here; the packaging script names its packages
 * with the same function.
 */

/** The facts the name depends on; `libc` matters on Linux only. */
export interface PlatformFacts {
  readonly platform: string;
  readonly arch: string;
  readonly libc?: "gnu" | "musl";
}

export const ENGINE_PACKAGE_PREFIX = "@yara-orm/engine-";

/** The triples a platform package may exist for (the layout; which are published is packaging's). */
export const ENGINE_TRIPLES: readonly string[] = [
  "linux-x64-gnu",
  "linux-arm64-gnu",
  "linux-x64-musl",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64-msvc",
  "win32-arm64-msvc",
];

/** `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, `freebsd-x64`, … */
export function platformTriple(facts: PlatformFacts): string {
  if (facts.platform === "linux") return `linux-${facts.arch}-${facts.libc ?? "gnu"}`;
  if (facts.platform === "win32") return `win32-${facts.arch}-msvc`;
  return `${facts.platform}-${facts.arch}`;
}

/** The platform package's name, or undefined when yara has no prebuilt engine for `facts`. */
export function enginePackageName(facts: PlatformFacts): string | undefined {
  const triple = platformTriple(facts);
  return ENGINE_TRIPLES.includes(triple) ? `${ENGINE_PACKAGE_PREFIX}${triple}` : undefined;
}

let current: PlatformFacts | undefined;

/** This process's platform; on Linux the C library from Node's own report (as napi-rs does). */
export function currentPlatform(): PlatformFacts {
  current ??= {
    platform: process.platform,
    arch: process.arch,
    ...(process.platform === "linux" ? { libc: linuxLibc() } : {}),
  };
  return current;
}

function linuxLibc(): "gnu" | "musl" {
  // The report skips its network section (reverse DNS of open sockets) while it is taken.
  const report = process.report as { excludeNetwork?: boolean; getReport(): object };
  const excluded = report.excludeNetwork;
  report.excludeNetwork = true;
  try {
    const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return header?.glibcVersionRuntime === undefined ? "musl" : "gnu";
  } finally {
    report.excludeNetwork = excluded;
  }
}
