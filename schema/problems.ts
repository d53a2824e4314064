/**
 * Problems found in a schema file. Reading and validation collect every problem instead of
 * stopping at the first, so a user fixes a schema in one pass; `yara-gen` prints them all.
 */
import type { SourceLocation } from "./ir.js";

/** One thing wrong with a schema file, printed as `file:line:col: message`. */
export interface SchemaProblem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** One sentence naming the model or field and what to do about it. */
  readonly message: string;
}

/** `file:line:col: message`, the format editors and terminals turn into links. */
export function formatProblem(p: SchemaProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

/** Collects the problems of one schema file; `add` never throws. */
export class ProblemList {
  private readonly items: SchemaProblem[] = [];

  constructor(readonly file: string) {}

  add(loc: SourceLocation, message: string): void {
    this.items.push({ file: this.file, line: loc.line, column: loc.column, message });
  }

  get size(): number {
    return this.items.length;
  }

  /** Every problem, ordered by position in the file (stable for problems at the same spot). */
  sorted(): SchemaProblem[] {
    return this.items
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
      .map(({ p }) => p);
  }
}
