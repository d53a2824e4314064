// Positions in problems: `positionsIn` must answer exactly what ts-morph's getLineAndColumnAtPos
// answered before it replaced it, for every offset and every kind of line break.
import { Project } from "ts-morph";
import { describe, expect, test } from "vitest";
import { positionsIn } from "../../schema/positions.js";

const texts = {
  "\\n": "import x from 'y';\nexport default a({\n  B: {},\n});\n",
  "\\r\\n": "import x from 'y';\r\nexport default a({\r\n  B: {},\r\n});\r\n",
  "lone \\r and blank lines": "a\r\rb\n\n\r\nc  d\r",
  "no break": "export default a({})",
  empty: "",
};

describe("positionsIn", () => {
  test.each(Object.entries(texts))("matches ts-morph at every offset (%s)", (_, text) => {
    const source = new Project({ useInMemoryFileSystem: true }).createSourceFile("/s.ts", text);
    const position = positionsIn(text);
    for (let pos = 0; pos <= text.length; pos++) {
      expect(position(pos), `offset ${pos}`).toEqual(source.getLineAndColumnAtPos(pos));
    }
  });

  test("counts lines and columns from 1", () => {
    const position = positionsIn("ab\ncd");
    expect(position(0)).toEqual({ line: 1, column: 1 });
    expect(position(4)).toEqual({ line: 2, column: 2 });
  });
});
