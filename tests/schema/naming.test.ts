// The names the schema layer derives.
import { expect, test } from "vitest";
import {
  camelCase,
  closestName,
  defaultRelatedName,
  defaultThroughTable,
  keyFieldName,
  memberNameProblem,
  snakeCase,
  throughColumns,
} from "../../schema/naming.js";

test("snakeCase: tables from model names, columns from field names", () => {
  expect(
    [
      "Book",
      "BookTag",
      "createdAt",
      "HTTPRequest",
      "isbn13",
      "address2Line",
      "already_snake",
      "URL",
    ].map(snakeCase),
  ).toEqual([
    "book",
    "book_tag",
    "created_at",
    "http_request",
    "isbn13",
    "address2_line",
    "already_snake",
    "url",
  ]);
});

test("camelCase: reverse relation names from model names", () => {
  expect(["Book", "BookTag", "HTTPRequest", "URL", "A"].map(camelCase)).toEqual([
    "book",
    "bookTag",
    "httpRequest",
    "url",
    "a",
  ]);
});

test("relation names: key fields, related names, join tables", () => {
  expect(keyFieldName("author")).toBe("authorId");
  expect(defaultRelatedName("BookTag", true)).toBe("bookTags");
  expect(defaultRelatedName("Profile", false)).toBe("profile");
  expect(defaultThroughTable("books", "tag")).toBe("books_tag");
  expect(throughColumns("Book", "Tag")).toEqual({ source: "book_id", target: "tag_id" });
  expect(throughColumns("Person", "Person")).toEqual({
    source: "from_person_id",
    target: "to_person_id",
  });
});

test("member names: identifiers without `__` that do not hide a model member", () => {
  expect(memberNameProblem("title")).toBeUndefined();
  expect(memberNameProblem("select")).toBeUndefined();
  expect(memberNameProblem("refreshFromDb")).toMatch(/clashes with a member/);
  expect(memberNameProblem("a__b")).toMatch(/contains `__`/);
  expect(memberNameProblem("2fa")).toMatch(/not a valid identifier/);
});

test("closestName: case differences and small typos only", () => {
  expect(closestName("maxlength", ["maxLength", "null"])).toBe("maxLength");
  expect(closestName("titel", ["title", "id"])).toBe("title");
  expect(closestName("Autor", ["Author", "Book"])).toBe("Author");
  expect(closestName("makeField", ["DateField", "TextField"])).toBeUndefined();
});
