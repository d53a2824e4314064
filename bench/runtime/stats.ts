/** Median and range of repeated measurements. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function range(values: readonly number[]): [number, number] {
  return values.length === 0
    ? [Number.NaN, Number.NaN]
    : [Math.min(...values), Math.max(...values)];
}
