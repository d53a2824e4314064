/**
 * The regex subset's canonical spelling (runtime/query/regex-pattern.ts): what is bound for a
 * pattern, and the refusals. The feature tests (tests/features/lookups-regex.test.ts) run the
 * spelling on every engine.
 */
import { describe, expect, it } from "vitest";
import { checkRegex } from "../../../runtime/query/regex-pattern.js";

describe("checkRegex", () => {
  it.each([
    ["abc", "abc"],
    ["", ""],
    ["a.b", "a.b"],
    ["a\\.b", "a\\u002eb"],
    ["^a|b$", "^a|b$"],
    ["(a|b)+", "(?:a|b)+"],
    ["(?:ab)*?c", "(?:ab)*c"],
    ["x{2,5}y{3}z{1,}", "x{2,5}y{3}z{1,}"],
    ["\\d\\w\\s", "[0-9][A-Za-z0-9_][\\u0020\\u0009\\u000a\\u000b\\u000c\\u000d]"],
    ["\\D", "[^0-9]"],
    ["[\\d_-]", "[0-9\\u005f\\u002d]"],
    ["[a-z&&b]", "[a-z\\u0026\\u0026b]"],
    ["[^é-ï]", "[^é-ï]"],
    ["a b", "a\\u0020b"],
    ["\\n\\t", "\\u000a\\u0009"],
    ["😀+", "😀+"],
  ])("%j is bound as %j", (source, canonical) => {
    expect(checkRegex(source)).toEqual({ ok: true, pattern: canonical });
  });

  it.each([
    ["\\b", /escape "\\b"/],
    ["(a)\\1", /escape "\\1"/],
    ["(?=a)", /look-around/],
    ["(?<n>a)", /look-around/],
    ["[[:alpha:]]", /"\[" inside brackets/],
    ["a{256}", /above 255/],
    ["a{3,2}", /reversed/],
    ["(a{100}){101}", /expands past 10000/],
    ["a+*", /quantifier follows a quantifier/],
    ["?", /nothing to repeat/],
    ["(a", /unclosed "\("/],
    ["a)", /unbalanced "\)"/],
    ["[]", /"\]"-first/],
    ["[b-a]", /reversed/],
    ["[\\W]", /inside brackets/],
    ["a{", /literal "\{"/],
    ["}", /literal "\}"/],
    ["a\\", /lone backslash/],
    ["$+", /anchor cannot be repeated/],
    ["a\u0000", /NUL/],
    ["\ud800", /lone surrogate/],
  ])("refuses %j", (source, why) => {
    const checked = checkRegex(source);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.why).toMatch(why);
  });
});
