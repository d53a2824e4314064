import { describe, expect, it } from "vitest";
import { literal, propertyKey } from "../../generator/literal.js";

describe("literal", () => {
  it("writes JSON-like values as TypeScript literals with bare keys", () => {
    expect(
      literal({ a: 1, "b-c": [true, null, "x"], d: undefined, e: { f: -2.5 } }),
    ).toMatchInlineSnapshot(`"{ a: 1, "b-c": [true, null, "x"], e: { f: -2.5 } }"`);
  });

  it("quotes keys that are not identifiers", () => {
    expect([propertyKey("title"), propertyKey("2fa"), propertyKey("a b")]).toEqual([
      "title",
      '"2fa"',
      '"a b"',
    ]);
  });
});
