// distinctOnOrdering: the ordering DISTINCT ON needs, from the ordering written.
import { describe, expect, it } from "vitest";
import { distinctOnOrdering } from "../../../runtime/query/distinct-on.js";

describe("distinctOnOrdering", () => {
  const cases: [string[], string[], string[]][] = [
    // distinct paths, ordering written, ordering sent
    [["a"], [], ["a"]],
    [["a"], ["a"], ["a"]],
    [["a"], ["-a"], ["-a"]],
    [["a"], ["-b"], ["a", "-b"]],
    [["a"], ["-b", "-a"], ["-a", "-b"]],
    [
      ["a", "b"],
      ["b", "-c"],
      ["b", "a", "-c"],
    ],
    [
      ["a", "b"],
      ["-c", "-b", "a"],
      ["a", "-b", "-c"],
    ],
    [
      ["a", "b"],
      ["b", "a", "c"],
      ["b", "a", "c"],
    ],
    [
      ["a", "b"],
      ["a", "a", "b"],
      ["a", "b", "a"],
    ],
    [["author__name"], ["title", "-author__name"], ["-author__name", "title"]],
  ];
  it.each(cases)("distinct(%j) with orderBy(%j) orders by %j", (fields, ordering, expected) => {
    const sent = distinctOnOrdering(fields, ordering);
    expect(sent).toEqual(expected);
    // Postgres' rule: the first terms are exactly the distinct paths.
    const lead = new Set(sent.slice(0, fields.length).map((o) => o.replace(/^-/, "")));
    expect(lead).toEqual(new Set(fields));
  });
});
