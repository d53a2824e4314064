/**
 * The layout documents generated code is built from: the algebra of Wadler's "prettier printer"
 * in the dialect of the prettier package (groups that break together, indents, lines that are a
 * space or a newline, `ifBreak`, `fill`, conditional groups). The emitters build the document
 * prettier would build for the same code, and `printer.ts` lays it out the way prettier does,
 * so generated files come out already formatted without loading prettier
 * (tests/generator/formatted.test.ts holds every generated file to `prettier --check`).
 */

export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  | {
      readonly type: "group";
      readonly contents: Doc;
      break: boolean;
      readonly id?: symbol;
      readonly expandedStates?: readonly Doc[];
      /** The width of the contents printed flat (-1: not plain text); set by `printer.ts`. */
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
 * conditional group (prettier's `propagateBreaks`, done as the document is built).
 */
export const group = (contents: Doc, options: GroupOptions = {}): DocNode => ({
  type: "group",
  contents,
  break: (options.shouldBreak ?? false) || forcesBreak(contents),
  // Every group has the same fields in the same order, so the printer's reads of them stay
  // monomorphic (a spread or a field added later gives groups several hidden classes).
  id: options.id,
  expandedStates: undefined,
  flat: undefined,
});

/** Whether `doc` breaks the group around it: a hard line, or a group that is broken. */
export function forcesBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    for (const part of doc as readonly Doc[]) if (forcesBreak(part)) return true;
    return false;
  }
  const node = doc as DocNode;
  switch (node.type) {
    case "group":
      return node.break;
    case "line":
      return node.hard;
    case "break-parent":
      return true;
    case "indent":
    case "align":
    case "indent-if-break":
      return forcesBreak(node.contents);
    case "if-break":
      return forcesBreak(node.breakContents) || forcesBreak(node.flatContents);
    case "fill":
      return node.parts.some(forcesBreak);
  }
}

/** Tries each state in turn, flat, and prints the last one broken when none fits. */
export const conditionalGroup = (states: readonly Doc[], options: GroupOptions = {}): DocNode => ({
  type: "group",
  contents: states[0] ?? "",
  break: options.shouldBreak ?? false,
  id: undefined,
  expandedStates: states,
  flat: undefined,
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
