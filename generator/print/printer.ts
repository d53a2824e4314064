/**
 * Lays a `Doc` out in `width` columns exactly as prettier's document printer does (its
 * `printDocToString`, for the document kinds in `doc.ts`; `group()` already did the work of
 * prettier's `propagateBreaks`): a group is
 * printed flat when it fits in the rest of the line, counting what follows it up to the next
 * possible line break; otherwise its lines become newlines. Two-space indentation, no tabs.
 */
import type { Doc, DocNode } from "./doc.js";
import { textWidth } from "./text-width.js";

const BREAK = 1;
const FLAT = 2;
type Mode = typeof BREAK | typeof FLAT;

type Group = Extract<DocNode, { type: "group" }>;
/**
 * The width of a group printed flat, when that is plain text (no hard line, no broken group, no
 * conditional states, no group-dependent `ifBreak`), else -1: `group()` in doc.ts sets it as it
 * builds the group (this measures a group built otherwise), so fitting a flat group is one
 * subtraction and printing it one walk that appends its text.
 */
function flatWidth(group: Group): number {
  if (group.flat !== undefined) return group.flat;
  const width = group.break || group.expandedStates || group.id ? -1 : widthOf(group.contents);
  group.flat = width;
  return width;
}

function widthOf(doc: Doc): number {
  if (typeof doc === "string") return textWidth(doc);
  if (Array.isArray(doc)) {
    let total = 0;
    for (const part of doc as readonly Doc[]) {
      const w = widthOf(part);
      if (w < 0) return -1;
      total += w;
    }
    return total;
  }
  const node = doc as DocNode;
  switch (node.type) {
    case "group":
      return flatWidth(node);
    case "indent":
    case "align":
      return widthOf(node.contents);
    case "line":
      return node.hard ? -1 : node.soft ? 0 : 1;
    case "if-break":
      return node.groupId === undefined ? widthOf(node.flatContents) : -1;
    case "fill":
      return widthOf(node.parts);
    case "indent-if-break":
    case "break-parent":
      return -1;
  }
}

/** Appends a document whose `widthOf` is not -1, printed flat. */
function writeFlat(doc: Doc, out: string[]): void {
  if (typeof doc === "string") {
    if (doc !== "") out.push(doc);
    return;
  }
  if (Array.isArray(doc)) {
    for (const part of doc as readonly Doc[]) writeFlat(part, out);
    return;
  }
  const node = doc as DocNode;
  switch (node.type) {
    case "group":
    case "indent":
    case "align":
      writeFlat(node.contents, out);
      return;
    case "line":
      if (!node.soft) out.push(" ");
      return;
    case "if-break":
      writeFlat(node.flatContents, out);
      return;
    case "fill":
      writeFlat(node.parts, out);
      return;
    default:
      return;
  }
}

/**
 * The stack `fits` walks, as two parallel arrays reused from call to call (`fits` never runs
 * inside itself): an object per pushed part was most of the printer's garbage.
 */
const fitDocs: Doc[] = [];
const fitModes: Mode[] = [];

/**
 * Whether `doc` (in `mode`) and then the commands below `restLength` on the print stack fit in
 * `width` columns, up to the first line that breaks.
 */
function fits(
  mode: Mode,
  doc: Doc,
  restDocs: readonly Doc[],
  restModes: readonly Mode[],
  restLength: number,
  width: number,
  modes: ReadonlyMap<symbol, Mode>,
  mustBeFlat = false,
): boolean {
  let restIndex = restLength;
  let top = 0;
  fitDocs[top] = doc;
  fitModes[top++] = mode;
  while (width >= 0) {
    if (top > 0) {
      top--;
      doc = fitDocs[top]!;
      mode = fitModes[top]!;
    } else {
      if (restIndex === 0) return true;
      restIndex--;
      doc = restDocs[restIndex]!;
      mode = restModes[restIndex]!;
    }
    if (typeof doc === "string") {
      width -= textWidth(doc);
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) {
        fitDocs[top] = parts[i]!;
        fitModes[top++] = mode;
      }
      continue;
    }
    const node = doc as DocNode;
    switch (node.type) {
      case "fill":
        for (let i = node.parts.length - 1; i >= 0; i--) {
          fitDocs[top] = node.parts[i]!;
          fitModes[top++] = mode;
        }
        break;
      case "indent":
      case "align":
      case "indent-if-break":
        fitDocs[top] = node.contents;
        fitModes[top++] = mode;
        break;
      case "group": {
        if (mustBeFlat && node.break) return false;
        if (mode === FLAT && !node.break && !node.expandedStates) {
          const flat = flatWidth(node);
          if (flat >= 0) {
            width -= flat;
            break;
          }
        }
        const groupMode = node.break ? BREAK : mode;
        fitDocs[top] =
          node.expandedStates && groupMode === BREAK ? node.expandedStates.at(-1)! : node.contents;
        fitModes[top++] = groupMode;
        break;
      }
      case "if-break": {
        const groupMode = node.groupId ? (modes.get(node.groupId) ?? FLAT) : mode;
        fitDocs[top] = groupMode === BREAK ? node.breakContents : node.flatContents;
        fitModes[top++] = mode;
        break;
      }
      case "line":
        if (mode === BREAK || node.hard) return true;
        if (!node.soft) width -= 1;
        break;
      case "break-parent":
        break;
    }
  }
  return false;
}

/** Drops the spaces at the end of the output so far (prettier's trim before a newline). */
function trimEnd(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    if (last.length === 0) {
      out.pop();
      continue;
    }
    const code = last.charCodeAt(last.length - 1);
    if (code !== 0x20 && code !== 0x09) return;
    const kept = last.replace(/[ \t]+$/, "");
    if (kept.length > 0) {
      out[out.length - 1] = kept;
      return;
    }
    out.pop();
  }
}

export function printDoc(doc: Doc, width = 100): string {
  const modes = new Map<symbol, Mode>();
  const out: string[] = [];
  let position = 0;
  let shouldRemeasure = false;
  // The commands waiting to be printed, as three parallel stacks (one entry per command).
  const indents: string[] = [""];
  const stackModes: Mode[] = [BREAK];
  const docs: Doc[] = [doc];
  const push = (indent: string, mode: Mode, doc: Doc): void => {
    indents.push(indent);
    stackModes.push(mode);
    docs.push(doc);
  };
  while (docs.length > 0) {
    const indent = indents.pop()!;
    const mode = stackModes.pop()!;
    const current = docs.pop()!;
    if (typeof current === "string") {
      out.push(current);
      position += textWidth(current);
      continue;
    }
    if (Array.isArray(current)) {
      // Leading text is printed at once; the rest waits on the stack in order.
      const parts = current as readonly Doc[];
      let first = 0;
      while (first < parts.length && typeof parts[first] === "string") {
        const text = parts[first++] as string;
        out.push(text);
        position += textWidth(text);
      }
      for (let i = parts.length - 1; i >= first; i--) {
        const part = parts[i]!;
        if (part !== "") push(indent, mode, part);
      }
      continue;
    }
    const node = current as DocNode;
    switch (node.type) {
      case "indent":
        push(indent + "  ", mode, node.contents);
        break;
      case "align":
        push(indent + " ".repeat(node.width), mode, node.contents);
        break;
      case "group": {
        let pushed = false;
        if (
          !node.break &&
          !node.expandedStates &&
          !node.id &&
          (mode === FLAT || !shouldRemeasure)
        ) {
          const flat = flatWidth(node);
          const remaining = width - position;
          if (
            flat >= 0 &&
            (mode === FLAT ||
              (flat <= remaining &&
                fits(FLAT, "", docs, stackModes, docs.length, remaining - flat, modes)))
          ) {
            writeFlat(node.contents, out);
            position += flat;
            break;
          }
        }
        if (mode === FLAT && !shouldRemeasure) {
          push(indent, node.break ? BREAK : FLAT, node.contents);
          pushed = true;
        }
        if (!pushed) {
          shouldRemeasure = false;
          const remaining = width - position;
          if (
            !node.break &&
            fits(FLAT, node.contents, docs, stackModes, docs.length, remaining, modes)
          ) {
            push(indent, FLAT, node.contents);
          } else if (node.expandedStates) {
            const mostExpanded = node.expandedStates.at(-1)!;
            if (node.break) {
              push(indent, BREAK, mostExpanded);
            } else {
              for (let i = 1; i < node.expandedStates.length + 1; i++) {
                if (i >= node.expandedStates.length) {
                  push(indent, BREAK, mostExpanded);
                  break;
                }
                const state = node.expandedStates[i]!;
                if (fits(FLAT, state, docs, stackModes, docs.length, remaining, modes)) {
                  push(indent, FLAT, state);
                  break;
                }
              }
            }
          } else {
            push(indent, BREAK, node.contents);
          }
        }
        if (node.id) modes.set(node.id, stackModes.at(-1)!);
        break;
      }
      case "fill": {
        const remaining = width - position;
        const [content, whitespace, second] = node.parts;
        if (content === undefined) break;
        const contentFits = fits(FLAT, content, docs, stackModes, 0, remaining, modes, true);
        const contentMode = contentFits ? FLAT : BREAK;
        if (whitespace === undefined) {
          push(indent, contentMode, content);
          break;
        }
        if (second === undefined) {
          push(indent, contentMode, whitespace);
          push(indent, contentMode, content);
          break;
        }
        const bothFit = fits(
          FLAT,
          [content, whitespace, second],
          docs,
          stackModes,
          0,
          remaining,
          modes,
          true,
        );
        push(indent, mode, { type: "fill", parts: node.parts.slice(2) });
        push(indent, bothFit ? FLAT : BREAK, whitespace);
        push(indent, bothFit ? FLAT : contentMode, content);
        break;
      }
      case "if-break":
      case "indent-if-break": {
        const groupMode = node.groupId ? (modes.get(node.groupId) ?? FLAT) : mode;
        if (node.type === "if-break") {
          push(indent, mode, groupMode === BREAK ? node.breakContents : node.flatContents);
        } else {
          const contents =
            groupMode === BREAK
              ? ({ type: "indent", contents: node.contents } as const)
              : node.contents;
          push(indent, mode, contents);
        }
        break;
      }
      case "line":
        if (mode === FLAT && !node.hard) {
          if (!node.soft) {
            out.push(" ");
            position += 1;
          }
          break;
        }
        if (mode === FLAT) shouldRemeasure = true;
        trimEnd(out);
        out.push("\n" + indent);
        position = indent.length;
        break;
      case "break-parent":
        break;
    }
  }
  fitDocs.length = 0;
  fitModes.length = 0;
  return out.join("");
}
