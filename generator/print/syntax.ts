/**
 * Builders for the TypeScript the generator writes, each making the document prettier's
 * printer makes for that syntax (prettier's `language-js/print/*`, with the repository's
 * options: printWidth 100, double quotes, trailing commas, semicolons). Only the shapes the
 * emitters use are covered; tests/generator/formatted.test.ts checks the result with prettier.
 */
import {
  conditionalGroup,
  fill,
  group,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  line,
  softline,
  breakParent,
  hardline,
  align,
  type Doc,
  type DocNode,
} from "./doc.js";

/** A string literal in the quotes prettier picks: double, unless single ones need fewer escapes. */
export function stringLiteral(value: string): string {
  const json = JSON.stringify(value);
  // Without a double quote in it (most strings), JSON's double-quoted text is the literal.
  if (!value.includes('"')) return json;
  const raw = json.slice(1, -1);
  const doubles = (raw.match(/"/g) ?? []).length;
  const singles = (raw.match(/'/g) ?? []).length;
  if (doubles <= singles) return json;
  const body = raw.replace(/\\(.)|(["'])/gs, (match: string, escaped?: string, quote?: string) => {
    if (escaped === '"') return '"';
    if (quote === "'") return "\\'";
    return match;
  });
  return `'${body}'`;
}

/** A number as prettier prints it (`1e+21` → `1e21`). */
export function numberLiteral(value: number): string {
  return String(value).toLowerCase().replace("e+", "e");
}

const IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]*$/u;

/** `title` stays bare, `"not-an-identifier"` is quoted (prettier's quoteProps "as-needed"). */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : stringLiteral(key);
}

/** What a property's value is, for prettier's choice of where a long `key: value` breaks. */
export type ValueKind =
  | "string"
  | "number"
  /** `-1`: a unary minus, which prettier lays out like any expression (but fills arrays with). */
  | "signed-number"
  | "boolean"
  | "poor-chain"
  | "other";

export interface Valued {
  readonly doc: Doc;
  readonly kind: ValueKind;
  /** Arrays and objects whose entries prettier would break apart (for an enclosing array). */
  readonly entries?: { readonly of: "array" | "object"; readonly count: number };
  /** An array's elements. */
  readonly elements?: readonly Valued[];
  /** An array or object holding an array or object (not a "simple" call argument to prettier). */
  readonly nested?: boolean;
}

/**
 * `key: value` in an object literal, laid out as prettier's `printAssignment` chooses: a key
 * shorter than five columns never breaks after the colon, a string or a chain of argument-less
 * calls moves to the next line when it does not fit, anything else breaks inside itself first.
 */
export function property(key: string, value: Valued): Doc {
  const shortKey = key.length < 5;
  // A group of text alone prints as that text: skip the group.
  if (typeof value.doc === "string") {
    const atomic = value.kind !== "string" && value.kind !== "poor-chain";
    if (shortKey || (atomic && (value.kind === "number" || value.kind === "boolean"))) {
      return `${key}: ${value.doc}`;
    }
  }
  if (value.kind === "string" || value.kind === "poor-chain") {
    return shortKey
      ? group([key, ": ", value.doc])
      : group([key, ":", group(indent([line, value.doc]))]);
  }
  if (shortKey || value.kind === "number" || value.kind === "boolean") {
    return group([key, ": ", value.doc]);
  }
  return fluid([key, ":"], value.doc);
}

/** prettier's "fluid" assignment layout: break after the operator only if the value cannot fit at all. */
export function fluid(left: Doc, right: Doc): Doc {
  const id = Symbol("assignment");
  return group([left, group(indent(line), { id }), indentIfBreak(right, id)]);
}

/** prettier's "break-after-operator" layout. */
export function breakAfterOperator(left: Doc, right: Doc): Doc {
  return group([left, group(indent([line, right]))]);
}

/** An object literal (`separator` ","), or a type literal (";"); `expand` keeps it on several lines. */
export function objectDoc(entries: readonly Doc[], expand = false, separator = ","): Doc {
  if (entries.length === 0) return "{}";
  return group(
    ["{", indent([line, join([separator, line], entries)]), ifBreak(separator), line, "}"],
    {
      shouldBreak: expand,
    },
  );
}

/** An array literal; arrays of numbers fill lines, arrays of several objects or arrays always break. */
export function arrayDoc(elements: readonly Valued[]): Doc {
  if (elements.length === 0) return "[]";
  const id = Symbol("array");
  const shouldBreak =
    elements.length > 1 &&
    elements.every(
      (e, i) =>
        e.entries !== undefined &&
        e.entries.count > 1 &&
        (elements[i + 1] === undefined || elements[i + 1]!.entries?.of === e.entries.of),
    );
  const concise = elements.every((e) => e.kind === "number" || e.kind === "signed-number");
  const body: Doc = concise
    ? fill(
        elements.flatMap((e, i) =>
          i === elements.length - 1 ? [[e.doc, ifBreak(",", "", id)]] : [[e.doc, ","], line],
        ),
      )
    : [
        join(
          [",", line],
          elements.map((e) => group(e.doc)),
        ),
        ifBreak(","),
      ];
  return group(["[", indent([softline, body]), softline, "]"], { shouldBreak, id });
}

/** A JSON-like value (schema defaults, meta, migration operations) as a literal. */
export function literalValue(
  value: unknown,
  expand?: (path: readonly string[]) => boolean,
  path: readonly string[] = [],
): Valued {
  if (value === null) return { doc: "null", kind: "other" };
  if (typeof value === "string") return { doc: stringLiteral(value), kind: "string" };
  if (typeof value === "number") {
    const text = numberLiteral(Math.abs(value));
    return value < 0 || Object.is(value, -0)
      ? { doc: `-${text}`, kind: "signed-number" }
      : { doc: text, kind: "number" };
  }
  if (typeof value === "boolean") return { doc: String(value), kind: "boolean" };
  if (typeof value === "bigint") return { doc: `${value}n`, kind: "other" };
  if (Array.isArray(value)) {
    const elements = value.map((v, i) =>
      literalValue(v, expand, expand === undefined ? path : [...path, String(i)]),
    );
    return {
      doc: arrayDoc(elements),
      kind: "other",
      entries: { of: "array", count: value.length },
      elements,
      nested: elements.some((e) => e.entries !== undefined),
    };
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const values = entries.map(([k, v]) =>
      literalValue(v, expand, expand === undefined ? path : [...path, k]),
    );
    const doc = objectDoc(
      entries.map(([k], i) => property(propertyKey(k), values[i]!)),
      expand?.(path) ?? false,
    );
    const nested = values.some((v) => v.entries !== undefined);
    return { doc, kind: "other", entries: { of: "object", count: entries.length }, nested };
  }
  throw new Error(`cannot write ${typeof value} as a literal`);
}

/** An array prettier fills with its numbers instead of one per line. */
function isConciseArray(value: Valued): boolean {
  return value.elements?.every((e) => e.kind === "number" || e.kind === "signed-number") ?? false;
}

/** Arguments of a call: `(a, b)`, broken one per line when they do not fit; a last object hugs. */
export function callArguments(args: readonly Valued[]): Doc {
  if (args.length === 0) return "()";
  const printed = args.map((a, i) => (i === args.length - 1 ? [a.doc] : [a.doc, ",", line]));
  const allBroken = (): Doc =>
    group(["(", indent([line, ...printed, ifBreak(",")]), line, ")"], { shouldBreak: true });
  const last = args[args.length - 1]!;
  const penultimate = args[args.length - 2];
  const conciseAfterOthers =
    args.length > 1 && last.entries?.of === "array" && isConciseArray(last);
  if (
    last.entries !== undefined &&
    last.entries.count > 0 &&
    penultimate?.entries?.of !== last.entries.of &&
    !conciseAfterOthers
  ) {
    const head = printed.slice(0, -1);
    return [
      willBreak(last.doc) ? breakParent : "",
      conditionalGroup([
        ["(", ...head, last.doc, ")"],
        ["(", ...head, group(last.doc, { shouldBreak: true }), ")"],
        allBroken(),
      ]),
    ];
  }
  return group(["(", indent([softline, ...printed]), ifBreak(","), softline, ")"], {
    shouldBreak: printed.some((p) => willBreak(p)),
  });
}

/** Whether a document holds a forced break (a broken group or a hard line). */
export function willBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).some(willBreak);
  const node = doc as DocNode;
  switch (node.type) {
    case "group":
      // A group's own break already counts its contents, except inside conditional states.
      return node.break || (node.expandedStates !== undefined && willBreak(node.contents));
    case "line":
      return node.hard;
    case "break-parent":
      return true;
    case "indent":
    case "align":
    case "indent-if-break":
      return willBreak(node.contents);
    case "if-break":
      return willBreak(node.breakContents) || willBreak(node.flatContents);
    case "fill":
      return node.parts.some(willBreak);
  }
}

/** `import { a, b } from "x";` (`type` imports too), one name per line when too long. */
export function importDeclaration(keyword: string, names: readonly string[], source: string): Doc {
  const from = ` from ${stringLiteral(source)};`;
  if (names.length === 1) return `${keyword} { ${names[0]} }${from}`;
  return group([
    keyword,
    " {",
    indent([line, join([",", line], names)]),
    ifBreak(","),
    line,
    "}",
    from,
  ]);
}

/**
 * A union type `A | B`, broken into `| A` lines. In type arguments (`inTypeArguments`) prettier
 * neither indents it nor starts it on a new line.
 */
export function unionType(types: readonly Doc[], inTypeArguments = false): Doc {
  if (types.length === 1) return types[0]!;
  if (isNullableType(types)) return join(" | ", types);
  const printed = types.map((t) => align(2, t));
  if (inTypeArguments) return group([ifBreak("| "), join([line, "| "], printed)]);
  return group(indent([ifBreak([line, "| "]), join([line, "| "], printed)]));
}

/** `T | null`: prettier keeps a type and `null` together on one line, whatever its length. */
export function isNullableType(types: readonly Doc[]): boolean {
  return types.length === 2 && types.filter((t) => t === "null").length === 1;
}

/**
 * `name: Type` of an interface member, class property or parameter: a union that does not fit
 * moves under the name, and breaks into `| A` lines when it does not fit there either.
 */
export function typedName(name: string, types: readonly Doc[]): Doc {
  if (types.length === 1 || isNullableType(types)) return [name, ": ", join(" | ", types)];
  return breakAfterOperator([name, ":"], unionType(types, true));
}

/** A union in parentheses inside an intersection: `(A | B)`. */
export function parenthesizedUnion(types: readonly Doc[]): Doc {
  const printed = types.map((t) => align(2, t));
  const union = group([ifBreak("| "), join([line, "| "], printed)]);
  return ["(", group([indent([softline, union]), softline]), ")"];
}

export interface IntersectionMember {
  readonly doc: Doc;
  /** A type literal `{ … }` (prettier keeps those on the line of the `&`). */
  readonly object: boolean;
}

/** `A & B & C` as prettier's `printIntersectionType`. */
export function intersectionType(types: readonly IntersectionMember[]): Doc {
  let wasIndented = false;
  return group(
    types.map((t, index) => {
      if (index === 0) return t.doc;
      const previous = types[index - 1]!;
      if (previous.object && t.object) return [" & ", wasIndented ? indent(t.doc) : t.doc];
      if (!previous.object && !t.object) return indent([" &", line, t.doc]);
      if (index > 1) wasIndented = true;
      return [" & ", index > 1 ? indent(t.doc) : t.doc];
    }),
  );
}

/** `export type Name = <type>;` */
export function typeAlias(name: string, type: Doc): Doc {
  return [fluid(`export type ${name} =`, type), ";"];
}

/** `export interface Name extends A, B {}` with an empty body. */
export function emptyInterface(name: string, bases: readonly Doc[]): Doc {
  if (bases.length === 0) return `export interface ${name} {}`;
  if (bases.length === 1) return [`export interface ${name} extends `, bases[0]!, " {}"];
  const list = group(indent([line, join([",", line], bases)]));
  return group(["export interface", group(indent([" ", name, line, "extends", list])), " {}"]);
}

/** Type arguments `<A, B>`: one simple type stays put, others break like arguments. */
export function typeArguments(args: readonly Doc[], simple: boolean): Doc {
  if (args.length === 1 && simple) return ["<", args[0]!, ">"];
  return group(["<", indent([softline, join([",", line], args)]), softline, ">"]);
}

/** A parameter list `(a: A, b?: B)`; `rest` when the last one is `...name`. */
export function parameters(params: readonly Doc[], rest = false): Doc {
  if (params.length === 0) return "()";
  return [
    "(",
    indent([softline, join([",", line], params), rest ? "" : ifBreak(",")]),
    softline,
    ")",
  ];
}

/** `test ? a : b` */
export function conditional(test: Doc, consequent: Doc, alternate: Doc): Doc {
  return group([test, indent([line, "? ", consequent, line, ": ", alternate])]);
}

/** One call of a member chain: `.name(args)`. */
export interface ChainLink {
  readonly name: string;
  readonly args: readonly Valued[];
}

/** An argument prettier calls "lone short": a number, a short name or string, an empty literal. */
function isShortArgument(arg: Valued): boolean {
  if (arg.kind === "number" || arg.kind === "signed-number") return true;
  if (arg.entries !== undefined) return arg.entries.count === 0;
  if (typeof arg.doc !== "string") return false;
  if (arg.kind === "string") return arg.doc.length <= 25;
  return /^-?\d/.test(arg.doc) || (/^[A-Za-z_$][\w$]*$/.test(arg.doc) && arg.doc.length <= 25);
}

/**
 * `root.a(…).b(…)` as prettier's member chain: one call stays one group; two or more put each
 * call on its own line when the chain does not fit. The kind says whether prettier counts it a
 * "poorly breakable" chain (one call without arguments or with one short argument), which a
 * long `key:` moves to the next line instead of breaking.
 */
export function memberChain(root: string, links: readonly ChainLink[]): Valued {
  const printed = links.map((l) => [".", l.name, callArguments(l.args)]);
  const oneLine: Doc = [root, ...printed];
  const poor = links.every(
    (l) => l.args.length === 0 || (l.args.length === 1 && isShortArgument(l.args[0]!)),
  );
  if (links.length <= 1) return { doc: group(oneLine), kind: poor ? "poor-chain" : "other" };
  const expanded: Doc = [root, indent([hardline, join(hardline, printed)])];
  // prettier expands a chain of more than two calls when an argument is not "simple".
  if (links.length > 2 && links.some((l) => l.args.some((a) => a.nested === true)))
    return { doc: expanded, kind: "other" };
  return {
    doc: [willBreak(oneLine) ? breakParent : "", conditionalGroup([oneLine, expanded])],
    kind: "other",
  };
}

/** `Name<A, B>`; `simple` when its one argument is a keyword or a plain name (never broken). */
export function typeReference(name: string, args: readonly Doc[], simple = false): Doc {
  return args.length === 0 ? name : [name, typeArguments(args, simple)];
}

/** `A | B` as a type argument (prettier does not indent a union there). */
export const unionArgument = (types: readonly Doc[]): Doc => unionType(types, true);

/** `export interface Name extends Base {` members, one per line `}` (prettier always breaks a body). */
export function interfaceDoc(name: string, members: readonly Doc[], base?: string): Doc {
  const head = `export interface ${name}${base === undefined ? "" : ` extends ${base}`} `;
  return [
    head,
    members.length === 0
      ? "{}"
      : [
          "{",
          indent([
            hardline,
            join(
              hardline,
              members.map((m) => [m, ";"]),
            ),
          ]),
          hardline,
          "}",
        ],
  ];
}

/**
 * `export type Name = A | B;`: the union moves under the `=` when it does not fit after it,
 * and breaks into `| A` lines when it does not fit there either.
 */
export function unionTypeAlias(name: string, members: readonly Doc[]): Doc {
  if (members.length === 1) return typeAlias(name, members[0]!);
  return [breakAfterOperator(`export type ${name} =`, unionType(members, true)), ";"];
}
