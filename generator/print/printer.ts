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

interface Command {
  readonly indent: string;
  readonly mode: Mode;
  readonly doc: Doc;
}

type Group = Extract<DocNode, { type: "group" }>;
/**
 * The width of a group printed flat, when that is plain text (no hard line, no broken group, no
 * conditional states, no group-dependent `ifBreak`), else -1: computed once per group, so
 * fitting a flat group is one subtraction and printing it one walk that appends its text.
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

function fits(
  next: Command,
  rest: readonly Command[],
  width: number,
  modes: ReadonlyMap<symbol, Mode>,
  mustBeFlat = false,
): boolean {
  let restIndex = rest.length;
  const commands: { mode: Mode; doc: Doc }[] = [next];
  while (width >= 0) {
    const command = commands.pop();
    if (command === undefined) {
      if (restIndex === 0) return true;
      commands.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc } = command;
    if (typeof doc === "string") {
      width -= textWidth(doc);
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) commands.push({ mode, doc: parts[i]! });
      continue;
    }
    const node = doc as DocNode;
    switch (node.type) {
      case "fill":
        for (let i = node.parts.length - 1; i >= 0; i--)
          commands.push({ mode, doc: node.parts[i]! });
        break;
      case "indent":
      case "align":
      case "indent-if-break":
        commands.push({ mode, doc: node.contents });
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
        const contents =
          node.expandedStates && groupMode === BREAK ? node.expandedStates.at(-1)! : node.contents;
        commands.push({ mode: groupMode, doc: contents });
        break;
      }
      case "if-break": {
        const groupMode = node.groupId ? (modes.get(node.groupId) ?? FLAT) : mode;
        commands.push({ mode, doc: groupMode === BREAK ? node.breakContents : node.flatContents });
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
function trimEnd(out: string[]): number {
  let trimmed = 0;
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const kept = last.replace(/[ \t]+$/, "");
    trimmed += last.length - kept.length;
    if (kept.length > 0) {
      out[out.length - 1] = kept;
      break;
    }
    out.pop();
  }
  return trimmed;
}

export function printDoc(doc: Doc, width = 100): string {
  const modes = new Map<symbol, Mode>();
  const out: string[] = [];
  let position = 0;
  let shouldRemeasure = false;
  const commands: Command[] = [{ indent: "", mode: BREAK, doc }];
  while (commands.length > 0) {
    const { indent, mode, doc: current } = commands.pop()!;
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
        if (part !== "") commands.push({ indent, mode, doc: part });
      }
      continue;
    }
    const node = current as DocNode;
    switch (node.type) {
      case "indent":
        commands.push({ indent: indent + "  ", mode, doc: node.contents });
        break;
      case "align":
        commands.push({ indent: indent + " ".repeat(node.width), mode, doc: node.contents });
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
                fits({ indent, mode: FLAT, doc: "" }, commands, remaining - flat, modes)))
          ) {
            writeFlat(node.contents, out);
            position += flat;
            break;
          }
        }
        if (mode === FLAT && !shouldRemeasure) {
          commands.push({ indent, mode: node.break ? BREAK : FLAT, doc: node.contents });
          pushed = true;
        }
        if (!pushed) {
          shouldRemeasure = false;
          const next: Command = { indent, mode: FLAT, doc: node.contents };
          const remaining = width - position;
          if (!node.break && fits(next, commands, remaining, modes)) {
            commands.push(next);
          } else if (node.expandedStates) {
            const mostExpanded = node.expandedStates.at(-1)!;
            if (node.break) {
              commands.push({ indent, mode: BREAK, doc: mostExpanded });
            } else {
              for (let i = 1; i < node.expandedStates.length + 1; i++) {
                if (i >= node.expandedStates.length) {
                  commands.push({ indent, mode: BREAK, doc: mostExpanded });
                  break;
                }
                const state: Command = { indent, mode: FLAT, doc: node.expandedStates[i]! };
                if (fits(state, commands, remaining, modes)) {
                  commands.push(state);
                  break;
                }
              }
            }
          } else {
            commands.push({ indent, mode: BREAK, doc: node.contents });
          }
        }
        if (node.id) modes.set(node.id, commands.at(-1)!.mode);
        break;
      }
      case "fill": {
        const remaining = width - position;
        const [content, whitespace, second] = node.parts;
        if (content === undefined) break;
        const contentFlat: Command = { indent, mode: FLAT, doc: content };
        const contentBreak: Command = { indent, mode: BREAK, doc: content };
        const contentFits = fits(contentFlat, [], remaining, modes, true);
        if (whitespace === undefined) {
          commands.push(contentFits ? contentFlat : contentBreak);
          break;
        }
        const whitespaceFlat: Command = { indent, mode: FLAT, doc: whitespace };
        const whitespaceBreak: Command = { indent, mode: BREAK, doc: whitespace };
        if (second === undefined) {
          if (contentFits) commands.push(whitespaceFlat, contentFlat);
          else commands.push(whitespaceBreak, contentBreak);
          break;
        }
        const remainingCommand: Command = {
          indent,
          mode,
          doc: { type: "fill", parts: node.parts.slice(2) },
        };
        const bothFit = fits(
          { indent, mode: FLAT, doc: [content, whitespace, second] },
          [],
          remaining,
          modes,
          true,
        );
        if (bothFit) commands.push(remainingCommand, whitespaceFlat, contentFlat);
        else if (contentFits) commands.push(remainingCommand, whitespaceBreak, contentFlat);
        else commands.push(remainingCommand, whitespaceBreak, contentBreak);
        break;
      }
      case "if-break":
      case "indent-if-break": {
        const groupMode = node.groupId ? (modes.get(node.groupId) ?? FLAT) : mode;
        if (node.type === "if-break") {
          const contents = groupMode === BREAK ? node.breakContents : node.flatContents;
          commands.push({ indent, mode, doc: contents });
        } else {
          const contents =
            groupMode === BREAK
              ? ({ type: "indent", contents: node.contents } as const)
              : node.contents;
          commands.push({ indent, mode, doc: contents });
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
  return out.join("");
}
