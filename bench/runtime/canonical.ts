/**
 * A canonical text of a workload's output, so two libraries' outputs compare as strings: keys
 * sorted, Dates as ISO instants, floats to 12 significant digits (AVG may sum in another order).
 */

function canonicalValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number")
    return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, canonicalValue(v)]));
  }
  return value;
}

export function canonical(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

/** The first place two canonical texts differ, with some context, for the report. */
export function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 60);
  return `expected …${expected.slice(from, i + 60)}… got …${actual.slice(from, i + 60)}…`;
}
