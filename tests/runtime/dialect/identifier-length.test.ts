/**
 * Table and column names a database cannot keep whole are refused before any DDL is sent:
 * Postgres would truncate them past 63 bytes without a word, MySQL refuses past 64 characters.
 */
import { describe, expect, it } from "vitest";
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { schemaStatements } from "../../../runtime/dialect/ddl.js";
import { ConfigurationError } from "../../../runtime/errors.js";
import { field, model } from "./ddl-fixtures.js";

const id = field("id", "int", { pk: true, generated: true });
const long = (n: number, unit = "t") => unit.repeat(n);

function refusal(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError");
}

describe("identifier lengths in DDL", () => {
  it("keeps a 63-byte table name on Postgres and refuses a 64-byte one, naming the model", () => {
    const ok = model("Ok", long(63), [id]);
    expect(schemaStatements([ok], dialectNamed("postgres"))[0]).toContain(`"${long(63)}"`);
    const err = refusal(() =>
      schemaStatements([model("Wide", long(64), [id])], dialectNamed("postgres")),
    );
    expect(err.message).toBe(
      `the table of model Wide, "${long(64)}", is 64 bytes long; Postgres keeps identifiers of at most 63: ` +
        "give it a shorter name (the model's `table` or the field's `column` option)",
    );
  });

  it("counts bytes, not characters: 32 two-byte letters are 64 bytes on Postgres", () => {
    const err = refusal(() =>
      schemaStatements([model("Accents", long(32, "é"), [id])], dialectNamed("postgres")),
    );
    expect(err.message).toContain("is 64 bytes long");
  });

  it("refuses a column name the database cannot keep, naming the field", () => {
    const wide = model("Book", "books", [id, field("title", "text", { column: long(70, "c") })]);
    const err = refusal(() => schemaStatements([wide], dialectNamed("postgres")));
    expect(err.message).toContain('the column of Book.title, "ccc');
    expect(refusal(() => schemaStatements([wide], dialectNamed("mysql"))).message).toContain(
      "MySQL keeps identifiers of at most 64",
    );
  });

  it("allows MySQL's 64 characters, and any length on SQLite", () => {
    const wide = model("Wide", long(64), [id]);
    expect(schemaStatements([wide], dialectNamed("mysql"))[0]).toContain(`"${long(64)}"`);
    const huge = model("Huge", long(200), [id, field("title", "text", { column: long(200) })]);
    expect(schemaStatements([huge], dialectNamed("sqlite"))[0]).toContain(`"${long(200)}"`);
  });
});
