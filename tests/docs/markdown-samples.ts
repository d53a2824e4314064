/**
 * The code samples of README.md and docs/*.md, and the files they are kept in.
 *
 * Every ```ts block is preceded by a marker line naming where its text lives:
 *
 *   <!-- sample: docs/samples/api/client.ts#client -->     the `// #region client` … `// #endregion`
 *                                                           span of that file, verbatim
 *   <!-- sample: none — a listing of generated code -->    not runnable; the reason is required
 *
 * The sample files are type-checked and run on every database by tests/docs; `npm run docs:sync`
 * rewrites the marked blocks from the files (tests/docs/sync-samples.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/** Languages whose blocks must be marked; shell, SQL, text and unlabelled blocks are exempt. */
const CODE_LANGUAGES = new Set(["ts", "typescript", "tsx", "js", "javascript", "mts"]);

const MARKER = /^<!-- sample: (.*) -->$/;

export type Marker =
  | { readonly kind: "file"; readonly file: string; readonly region: string }
  | { readonly kind: "none"; readonly reason: string };

export interface CodeBlock {
  /** Relative to the repository root: "docs/api.md". */
  readonly markdown: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  /** The lines between the fences. */
  readonly text: string;
  /** 0-based indexes of the first body line and of the closing fence. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** The marker on the line before the fence, or a sentence saying what is wrong with it. */
  readonly marker: Marker | { readonly kind: "missing" } | { readonly kind: "bad"; readonly problem: string };
}

/** README.md and every docs/*.md, relative to the repository root. */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

/** Every fenced block of `markdown` whose language must be marked. */
export function codeBlocks(markdown: string, text = readFileSync(join(root, markdown), "utf8")): CodeBlock[] {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (open === null) continue;
    const fence = open[1]!;
    let close = i + 1;
    while (close < lines.length && !isClosingFence(lines[close]!, fence)) close++;
    const language = open[2]!.toLowerCase();
    if (CODE_LANGUAGES.has(language)) {
      blocks.push({
        markdown,
        line: i + 1,
        language,
        text: lines.slice(i + 1, close).join("\n"),
        bodyStart: i + 1,
        bodyEnd: close,
        marker: parseMarker(i > 0 ? lines[i - 1]! : ""),
      });
    }
    i = close;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trimEnd();
  return trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

function parseMarker(line: string): CodeBlock["marker"] {
  const match = MARKER.exec(line.trim());
  if (match === null) {
    return line.includes("sample:")
      ? { kind: "bad", problem: `the line before it is not a marker: ${line.trim()}` }
      : { kind: "missing" };
  }
  const value = match[1]!.trim();
  const none = /^none\s*(?:—|--|-)\s*(.*)$/.exec(value);
  if (none !== null) {
    return none[1]!.trim() === ""
      ? { kind: "bad", problem: "`sample: none` needs a reason: `none — why it cannot run`" }
      : { kind: "none", reason: none[1]!.trim() };
  }
  if (value === "none") {
    return { kind: "bad", problem: "`sample: none` needs a reason: `none — why it cannot run`" };
  }
  const hash = value.lastIndexOf("#");
  if (hash <= 0 || hash === value.length - 1) {
    return { kind: "bad", problem: `a marker names a file and a region: "path.ts#region", not "${value}"` };
  }
  return { kind: "file", file: value.slice(0, hash), region: value.slice(hash + 1) };
}

/** The `// #region name` … `// #endregion` span of a sample file (relative to the root). */
export function regionText(file: string, region: string): string {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`the sample file ${file} does not exist`);
  const lines = readFileSync(path, "utf8").split("\n");
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  if (start < 0) throw new Error(`${file} has no \`// #region ${region}\``);
  const end = lines.findIndex((line, i) => i > start && line.trim().startsWith("// #endregion"));
  if (end < 0) throw new Error(`${file}: \`// #region ${region}\` has no \`// #endregion\``);
  const nested = lines.slice(start + 1, end).findIndex((line) => line.trim().startsWith("// #region"));
  if (nested >= 0) throw new Error(`${file}: regions do not nest (\`#region ${region}\`)`);
  return lines.slice(start + 1, end).join("\n");
}

/** The names of the regions a sample file declares. */
export function regionNames(file: string): string[] {
  return readFileSync(join(root, file), "utf8")
    .split("\n")
    .map((line) => /^\s*\/\/ #region (\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/**
 * The sample folders (docs/samples/<dir>) and the sample files each holds: every .ts file but
 * the schema the folder's client is generated from.
 */
export function sampleFolders(): Map<string, string[]> {
  const base = join(root, "docs/samples");
  const folders = new Map<string, string[]>();
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const files = readdirSync(join(base, entry.name))
      .filter((name) => name.endsWith(".ts") && name !== "app.schema.ts")
      .sort()
      .map((name) => `docs/samples/${entry.name}/${name}`);
    folders.set(entry.name, files);
  }
  return folders;
}

/** The first line where `actual` differs from `expected`, for a readable failure. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1} of the block: the file has ${JSON.stringify(a[i] ?? "(end)")}, the markdown ${JSON.stringify(b[i] ?? "(end)")}`;
    }
  }
  return "no difference";
}

/** The inline code spans of a markdown file outside its fenced blocks, whitespace collapsed. */
export function inlineSpans(markdown: string): Set<string> {
  const text = readFileSync(join(root, markdown), "utf8").replace(
    /^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm,
    "",
  );
  return new Set([...text.matchAll(/`([^`]+)`/g)].map((m) => collapse(m[1]!)));
}

/**
 * A code span a sample file quotes from the docs' prose: the line
 * `// docs/api.md: \`Author.filter({ books__isnull: true })\` …` before the statement that runs it.
 */
export interface QuotedSpan {
  readonly file: string;
  /** 1-based line of the quoting comment. */
  readonly line: number;
  readonly markdown: string;
  readonly span: string;
  /** The code after the comment, up to the next comment or blank line, whitespace collapsed. */
  readonly statement: string;
}

const QUOTE = /^\s*\/\/ (README\.md|docs\/[\w.-]+\.md): `([^`]+)`/;

export function quotedSpans(file: string): QuotedSpan[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const quotes: QuotedSpan[] = [];
  lines.forEach((line, i) => {
    const match = QUOTE.exec(line);
    if (match === null) return;
    const code: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!.trim();
      if (next === "" || next.startsWith("//")) break;
      code.push(next);
    }
    quotes.push({
      file,
      line: i + 1,
      markdown: match[1]!,
      span: collapse(match[2]!),
      statement: collapse(code.join(" ")),
    });
  });
  return quotes;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
