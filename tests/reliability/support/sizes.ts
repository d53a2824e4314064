/**
 * How big the long reliability tests run: reduced under `npm test` (CI's time budget), full
 * under `npm run test:full` (YARA_RELIABILITY_FULL=1). One variable per test overrides either
 * size while iterating (YARA_SOAK_MS, YARA_MILLION_STATEMENTS, YARA_FUZZ_RUNS); docs/reliability.md
 * lists both sizes.
 */
export function reliabilitySize(variable: string, reduced: number, full: number): number {
  const given = process.env[variable];
  if (given === undefined || given === "") {
    return process.env.YARA_RELIABILITY_FULL === "1" ? full : reduced;
  }
  const n = Number(given);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${variable} must be a positive whole number, got "${given}"`);
  }
  return n;
}
