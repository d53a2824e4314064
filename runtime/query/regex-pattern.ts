/**
 * The `regex` / `iregex` lookups read one dialect of regular expressions: the subset that
 * Postgres (ARE, `~` / `~*`), JavaScript's RegExp (the better-sqlite3 driver's `yara_regexp`)
 * and Rust's `regex` crate (the native SQLite driver's) all read the same way. A pattern is
 * parsed here and written back in one canonical spelling that all three engines understand
 * alike; anything outside the subset is a ValidationError naming the construct, before any SQL.
 *
 * The subset: literal characters; `.` (any character, newline included, as in Postgres);
 * `^` and `$` (start and end of the whole value); `[…]` / `[^…]` with characters and ranges;
 * `\d` `\w` `\s` (ASCII: `[0-9]`, `[A-Za-z0-9_]`, space/tab/CR/LF/FF/VT) and `\D` `\W` `\S`
 * outside brackets; `\n` `\t` `\r` `\f` `\v`; a backslash before any ASCII punctuation for
 * that character; groups `(…)` and `(?:…)`; `|`; the quantifiers `*` `+` `?` `{n}` `{n,}`
 * `{n,m}` (bounds up to 255), lazy forms accepted (whether a value matches does not depend
 * on greediness, so they are written greedy). Refused: back-references, look-around, `\b`
 * and other word-boundary escapes, Unicode property and hex escapes, POSIX `[[:classes:]]`,
 * inline flags, and nestings whose expansion passes EXPANSION_LIMIT.
 *
 * The canonical spelling writes every ASCII character other than letters and digits as
 * `\uXXXX` (read as that one character by all three engines, also inside brackets — so
 * Rust's `&&`, `--`, `~~` class operators never arise), groups as `(?:…)` and the rest as
 * written.
 */

/** A parsed pattern's canonical text, or why it is outside the subset. */
export type RegexCheck =
  { readonly ok: true; readonly pattern: string } | { readonly ok: false; readonly why: string };

/** Largest `{n,m}` bound (Postgres' DUPMAX). */
const MAX_BOUND = 255;
/** Most characters a pattern may expand to once repetitions are unrolled (engine size limits). */
const EXPANSION_LIMIT = 10_000;

const CLASS_ESCAPES: Readonly<Record<string, string>> = {
  d: "0-9",
  w: "A-Za-z0-9_",
  s: "\\u0020\\u0009\\u000a\\u000b\\u000c\\u000d",
};
const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  v: "\v",
};

class Refused extends Error {}

/** One character in the canonical spelling. */
function literal(c: string): string {
  const code = c.codePointAt(0)!;
  if (/^[A-Za-z0-9]$/.test(c) || code > 0x9f) return c;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

function isAsciiPunctuation(c: string): boolean {
  return /^[!-/:-@[-`{-~]$/.test(c);
}

class Parser {
  #i = 0;
  readonly #chars: readonly string[];

  constructor(source: string) {
    this.#chars = [...source];
  }

  parse(): { text: string; size: number } {
    const result = this.#alternation(0);
    if (this.#i < this.#chars.length) throw new Refused(`unbalanced ")" at ${this.#i}`);
    return result;
  }

  #peek(offset = 0): string | undefined {
    return this.#chars[this.#i + offset];
  }

  #alternation(depth: number): { text: string; size: number } {
    if (depth > 32) throw new Refused("groups nested more than 32 deep");
    const branches = [this.#branch(depth)];
    while (this.#peek() === "|") {
      this.#i++;
      branches.push(this.#branch(depth));
    }
    return {
      text: branches.map((b) => b.text).join("|"),
      size: branches.reduce((n, b) => n + b.size, 0),
    };
  }

  #branch(depth: number): { text: string; size: number } {
    let text = "";
    let size = 0;
    for (let c = this.#peek(); c !== undefined && c !== "|" && c !== ")"; c = this.#peek()) {
      const atom = this.#atom(depth);
      const times = this.#quantifier(atom.anchor);
      text += atom.text + times.text;
      size += atom.size * times.factor;
    }
    return { text, size };
  }

  #atom(depth: number): { text: string; size: number; anchor: boolean } {
    const at = this.#i;
    const c = this.#chars[this.#i++]!;
    switch (c) {
      case "^":
      case "$":
        return { text: c, size: 1, anchor: true };
      case ".":
        return { text: ".", size: 1, anchor: false };
      case "(": {
        if (this.#peek() === "?") {
          if (this.#peek(1) !== ":")
            throw new Refused(`"(?" at ${at} (look-around and inline flags are not supported)`);
          this.#i += 2;
        }
        const inner = this.#alternation(depth + 1);
        if (this.#chars[this.#i++] !== ")") throw new Refused(`unclosed "(" at ${at}`);
        return { text: `(?:${inner.text})`, size: inner.size, anchor: false };
      }
      case "[":
        return { ...this.#bracket(at), anchor: false };
      case "\\":
        return { text: this.#escape(at, false), size: 1, anchor: false };
      case "*":
      case "+":
      case "?":
      case "{":
        throw new Refused(`"${c}" at ${at} has nothing to repeat`);
      case "}":
      case "]":
        throw new Refused(`a literal "${c}" must be escaped (at ${at})`);
      default:
        return { text: literal(c), size: 1, anchor: false };
    }
  }

  /** `\x` outside or inside brackets (inside: no negated classes, `\b`…). */
  #escape(at: number, inBracket: boolean): string {
    const c = this.#chars[this.#i++];
    if (c === undefined) throw new Refused("the pattern ends with a lone backslash");
    const cls = CLASS_ESCAPES[c];
    if (cls !== undefined) return inBracket ? cls : `[${cls}]`;
    const negated = CLASS_ESCAPES[c.toLowerCase()];
    if (negated !== undefined && c !== c.toLowerCase()) {
      if (inBracket) throw new Refused(`"\\${c}" inside brackets at ${at}`);
      return `[^${negated}]`;
    }
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) return literal(control);
    if (isAsciiPunctuation(c)) return literal(c);
    throw new Refused(`the escape "\\${c}" at ${at} is not supported`);
  }

  #bracket(at: number): { text: string; size: number } {
    let text = "[";
    if (this.#peek() === "^") {
      text += "^";
      this.#i++;
    }
    if (this.#peek() === "]") throw new Refused(`empty or "]"-first brackets at ${at}`);
    let items = 0;
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw new Refused(`unclosed "[" at ${at}`);
      if (c === "]") {
        this.#i++;
        break;
      }
      if (c === "[") throw new Refused(`a "[" inside brackets must be escaped (at ${this.#i})`);
      const low = this.#bracketChar();
      if (low.cls !== undefined) {
        text += low.cls;
      } else if (this.#peek() === "-" && this.#peek(1) !== "]" && this.#peek(1) !== undefined) {
        this.#i++;
        const high = this.#bracketChar();
        if (high.cls !== undefined || high.char === undefined)
          throw new Refused(`a range ends in a class at ${this.#i}`);
        if (high.char.codePointAt(0)! < low.char!.codePointAt(0)!)
          throw new Refused(`the range ${low.char}-${high.char} is reversed`);
        text += `${literal(low.char!)}-${literal(high.char)}`;
      } else {
        text += literal(low.char!);
      }
      items++;
    }
    if (items === 0) throw new Refused(`empty brackets at ${at}`);
    return { text: `${text}]`, size: 1 };
  }

  /** One item inside brackets: a character, or the ranges of `\d` `\w` `\s`. */
  #bracketChar(): { char?: string; cls?: string } {
    const at = this.#i;
    const c = this.#chars[this.#i++]!;
    if (c !== "\\") return { char: c };
    const next = this.#peek();
    if (next !== undefined && CLASS_ESCAPES[next] !== undefined) {
      this.#i++;
      return { cls: CLASS_ESCAPES[next] };
    }
    const text = this.#escape(at, true);
    // #escape wrote a control or punctuation character as \uXXXX: read it back.
    return { char: String.fromCodePoint(parseInt(text.slice(2), 16)) };
  }

  /** The quantifier after an atom (or none) and how many times it may repeat the atom. */
  #quantifier(anchor: boolean): { text: string; factor: number } {
    const c = this.#peek();
    let text: string;
    let factor: number;
    if (c === "*" || c === "+" || c === "?") {
      this.#i++;
      text = c;
      factor = c === "?" ? 1 : 2;
    } else if (c === "{") {
      const m = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(this.#chars.slice(this.#i).join(""));
      if (!m) throw new Refused(`a literal "{" must be escaped (at ${this.#i})`);
      const low = Number(m[1]);
      const high = m[3] === undefined || m[3] === "" ? undefined : Number(m[3]);
      if (low > MAX_BOUND || (high ?? 0) > MAX_BOUND)
        throw new Refused(`repetition bounds above ${MAX_BOUND}`);
      if (high !== undefined && high < low) throw new Refused(`the bounds ${m[0]} are reversed`);
      this.#i += m[0].length;
      text = m[0];
      factor = Math.max(1, high ?? low + 1);
    } else {
      return { text: "", factor: 1 };
    }
    if (anchor) throw new Refused(`an anchor cannot be repeated (at ${this.#i - 1})`);
    if (this.#peek() === "?") this.#i++; // lazy: the same rows match
    const after = this.#peek();
    if (after === "*" || after === "+" || after === "?" || after === "{")
      throw new Refused(`a quantifier follows a quantifier (at ${this.#i})`);
    return { text, factor };
  }
}

/** `source` in the canonical spelling, or why it is outside the common subset. */
export function checkRegex(source: string): RegexCheck {
  if (source.includes("\0")) return { ok: false, why: "the pattern contains a NUL character" };
  if (/\p{Cs}/u.test(source))
    return { ok: false, why: "the pattern contains a lone surrogate (not valid Unicode)" };
  try {
    const { text, size } = new Parser(source).parse();
    if (size > EXPANSION_LIMIT)
      return { ok: false, why: `the pattern expands past ${EXPANSION_LIMIT} characters` };
    return { ok: true, pattern: text };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, why: e.message };
    throw e;
  }
}
