/**
 * The layout documents generated code is built from: the algebra of Wadler's "prettier printer"
 * in the dialect of the prettier package (groups that break together, indents, lines that are a
 * space or a newline, `ifBreak`, `fill`, conditional groups). The emitters build the document
 * prettier would build for the same code, and `printer.ts` lays it out the way prettier does,
 * so generated files come out already formatted without loading prettier
 * (tests/generator/formatted.test.ts holds every generated file to `prettier --check`).
 */

import { textWidth } from "./text-width.js";

export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  | {
      readonly type: "group";
      readonly contents: Doc;
      break: boolean;
      readonly id?: symbol;
      readonly expandedStates?: readonly Doc[];
      /** The width of the contents printed flat (-1: not plain text), set as the group is built. */
      flat?: number;
    }
  | { readonly type: "indent"; readonly contents: Doc }
  | { readonly type: "align"; readonly width: number; readonly contents: Doc }
  | { readonly type: "line"; readonly soft: boolean; readonly hard: boolean }
  | {
      readonly type: "if-break";
      readonly breakContents: Doc;
      readonly flatContents: Doc;
      readonly groupId?: symbol;
    }
  | { readonly type: "indent-if-break"; readonly contents: Doc; readonly groupId: symbol }
  | { readonly type: "fill"; readonly parts: readonly Doc[] }
  | { readonly type: "break-parent" };

export interface GroupOptions {
  readonly shouldBreak?: boolean;
  readonly id?: symbol;
}

/**
 * A group, broken from the start when it holds a hard line or a broken group outside any
 * conditional group (prettier's `propagateBreaks`, done as the document is built), with the
 * width it takes printed flat (the printer's `flat`), found in the same walk.
 */
export const group = (contents: Doc, options: GroupOptions = {}): DocNode => {
  const measured = measure(contents);
  const broken = (options.shouldBreak ?? false) || measured === FORCES_BREAK;
  return {
    type: "group",
    contents,
    break: broken,
    // Every group has the same fields in the same order, so the printer's reads of them stay
    // monomorphic (a spread or a field added later gives groups several hidden classes).
    id: options.id,
    expandedStates: undefined,
    flat: broken || options.id !== undefined ? NOT_FLAT : measured,
  };
};

/** `measure`: the document breaks the group around it (a hard line, a broken group). */
const FORCES_BREAK = -2;
/** `measure`: the document cannot be printed as plain flat text, but breaks nothing. */
const NOT_FLAT = -1;

/**
 * The width of `doc` printed flat as plain text, or `NOT_FLAT` (a conditional group, one with
 * an id, a group-dependent `ifBreak`), or `FORCES_BREAK`, which wins over both.
 */
function measure(doc: Doc): number {
  if (typeof doc === "string") return textWidth(doc);
  if (Array.isArray(doc)) return measureAll(doc as readonly Doc[]);
  const node = doc as DocNode;
  switch (node.type) {
    case "group":
      if (node.break) return FORCES_BREAK;
      return node.flat ?? NOT_FLAT;
    case "indent":
    case "align":
      return measure(node.contents);
    case "indent-if-break":
      return measure(node.contents) === FORCES_BREAK ? FORCES_BREAK : NOT_FLAT;
    case "line":
      return node.hard ? FORCES_BREAK : node.soft ? 0 : 1;
    case "if-break": {
      if (measure(node.breakContents) === FORCES_BREAK) return FORCES_BREAK;
      const flat = measure(node.flatContents);
      return flat === FORCES_BREAK || node.groupId === undefined ? flat : NOT_FLAT;
    }
    case "fill":
      return measureAll(node.parts);
    case "break-parent":
      return FORCES_BREAK;
  }
}

function measureAll(parts: readonly Doc[]): number {
  let total = 0;
  for (const part of parts) {
    const width = measure(part);
    if (width === FORCES_BREAK) return FORCES_BREAK;
    if (width === NOT_FLAT || total === NOT_FLAT) total = NOT_FLAT;
    else total += width;
  }
  return total;
}

/** Tries each state in turn, flat, and prints the last one broken when none fits. */
export const conditionalGroup = (states: readonly Doc[], options: GroupOptions = {}): DocNode => ({
  type: "group",
  contents: states[0] ?? "",
  break: options.shouldBreak ?? false,
  id: undefined,
  expandedStates: states,
  flat: NOT_FLAT,
});

export const indent = (contents: Doc): DocNode => ({ type: "indent", contents });
export const align = (width: number, contents: Doc): DocNode => ({
  type: "align",
  width,
  contents,
});
export const fill = (parts: readonly Doc[]): DocNode => ({ type: "fill", parts });
export const breakParent: DocNode = { type: "break-parent" };
/** A space, or a newline when its group breaks. */
export const line: DocNode = { type: "line", soft: false, hard: false };
/** Nothing, or a newline when its group breaks. */
export const softline: DocNode = { type: "line", soft: true, hard: false };
/** Always a newline; breaks every enclosing group. */
export const hardline: Doc = [{ type: "line", soft: false, hard: true }, breakParent];

export const ifBreak = (breakContents: Doc, flatContents: Doc = "", groupId?: symbol): DocNode => ({
  type: "if-break",
  breakContents,
  flatContents,
  ...(groupId === undefined ? {} : { groupId }),
});

export const indentIfBreak = (contents: Doc, groupId: symbol): DocNode => ({
  type: "indent-if-break",
  contents,
  groupId,
});

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((doc, i) => {
    if (i > 0) out.push(separator);
    out.push(doc);
  });
  return out;
}

/** Lines of fixed text, one after another (the text holds no line breaks). */
export const lines = (texts: readonly Doc[]): Doc[] => join(hardline, texts);
