/** Number formatting shared by the Markdown report and the chart. */

/** 12 345 → "12.3k", 1 234 567 → "1.23M"; three significant digits. */
export function rate(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3);
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function micros(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? `${Math.round(value)} µs` : `${value.toPrecision(3)} µs`;
}

export function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US").replace(/,/g, " ");
}
