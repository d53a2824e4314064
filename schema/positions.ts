/**
 * Line and column of a position in a schema file, 1-based, counted as ts-morph's
 * `getLineAndColumnAtPos` counts them (lines end at `\n`; a column restarts after `\n` or `\r`),
 * but answered by binary search over break offsets computed once. ts-morph rescans the text from
 * the start on every call, which made reading a 300-model schema quadratic (about 3 s).
 */
import type { SourceLocation } from "./ir.js";

/** Offsets of every occurrence of the character `char` in `text`, ascending. */
function offsetsOf(text: string, char: string): number[] {
  const offsets: number[] = [];
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) offsets.push(i);
  return offsets;
}

/** The ascending offsets of `a` and `b` merged into one ascending list. */
function merged(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return [...a];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** How many of the ascending `offsets` are below `pos`. */
function countBelow(offsets: readonly number[], pos: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((offsets[mid] ?? Infinity) < pos) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A function from a position in `text` to its `{ line, column }`. */
export function positionsIn(text: string): (pos: number) => SourceLocation {
  const newlines = offsetsOf(text, "\n");
  const breaks = merged(newlines, offsetsOf(text, "\r"));
  return (pos) => {
    const before = countBelow(breaks, pos);
    const lineStart = before === 0 ? 0 : (breaks[before - 1] ?? -1) + 1;
    return { line: countBelow(newlines, pos) + 1, column: pos - lineStart + 1 };
  };
}
