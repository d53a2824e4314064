import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../generator/args.js";

describe("parseCliArgs", () => {
  it("reads the schema, --out and the mode", () => {
    expect(parseCliArgs(["app.schema.ts", "--out", "gen"])).toEqual({
      kind: "run",
      args: { schema: "app.schema.ts", out: "gen", mode: "generate", language: "js" },
    });
    expect(parseCliArgs(["s.ts", "--out", "gen", "--language", "ts"])).toMatchObject({
      args: { language: "ts" },
    });
    expect(parseCliArgs(["--check", "s.ts", "--out=gen"])).toMatchObject({
      args: { mode: "check" },
    });
    expect(parseCliArgs(["s.ts", "-o", "gen", "--watch"])).toMatchObject({
      args: { mode: "watch" },
    });
  });

  it("answers --help", () => {
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help" });
  });

  it("rejects unknown flags, a missing --out, extra files, --check with --watch, an unknown language", () => {
    for (const argv of [
      ["s.ts", "--out", "g", "--verbose"],
      ["s.ts"],
      ["a.ts", "b.ts", "--out", "g"],
      ["s.ts", "--out", "g", "--check", "--watch"],
      ["s.ts", "--out", "g", "--language", "mjs"],
      ["--out", "g"],
    ]) {
      expect(parseCliArgs(argv).kind, argv.join(" ")).toBe("usage");
    }
  });
});
