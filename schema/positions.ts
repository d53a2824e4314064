/**
 * Line and column of a position in a schema file, 1-based, counted as ts-morph's
 * `getLineAndColumnAtPos` counts them (lines end at `\n`; a column restarts after `\n` or `\r`),
 * but answered by binary search over break offsets computed once. ts-morph rescans the text from
 * the start on every call, which made reading a 300-model schema quadratic (about 3 s).
 */
import type { SourceLocation } from "./ir.js";

/** Offsets of every character in `text` for which `isBreak` holds, ascending. */
function offsetsOf(text: string, isBreak: (code: number) => boolean): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) if (isBreak(text.charCodeAt(i))) offsets.push(i);
  return offsets;
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

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** A function from a position in `text` to its `{ line, column }`. */
export function positionsIn(text: string): (pos: number) => SourceLocation {
  const newlines = offsetsOf(text, (c) => c === NEWLINE);
  const breaks = offsetsOf(text, (c) => c === NEWLINE || c === CARRIAGE_RETURN);
  return (pos) => {
    const before = countBelow(breaks, pos);
    const lineStart = before === 0 ? 0 : (breaks[before - 1] ?? -1) + 1;
    return { line: countBelow(newlines, pos) + 1, column: pos - lineStart + 1 };
  };
}
