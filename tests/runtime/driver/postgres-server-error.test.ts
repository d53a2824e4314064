/**
 * The server-error mapping both Postgres drivers share, fed each driver's own fields: the engine
 * reports no severity (its FATAL errors arrive as connection errors of its own), node-postgres
 * does.
 */
import { describe, expect, it } from "vitest";
import { mapPostgresServerError } from "../../../runtime/driver/postgres-server-error.js";
import { ConnectionError, DatabaseError, IntegrityError } from "../../../runtime/errors.js";
// Registers the feature schema's models (table "books", …): the missing-table hint is for them.
import "../../features/generated/index.js";

const ADDRESS = "db.example:5432";

describe("mapPostgresServerError", () => {
  it("keeps an integrity violation's kind, constraint and table; the key columns, not the values", () => {
    const err = mapPostgresServerError(
      {
        message: 'duplicate key value violates unique constraint "book_title_key"',
        code: "23505",
        constraint: "book_title_key",
        table: "book",
        detail: "Key (title, author_id)=(secret, 7) already exists.",
      },
      ADDRESS,
    );
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err).toMatchObject({
      kind: "unique",
      code: "23505",
      constraint: "book_title_key",
      table: "book",
      column: "title, author_id",
    });
    expect(err.message).not.toContain("secret");
    expect(err.cause).toBeUndefined();
  });

  it("a class 08 error ends the session only when its severity says so", () => {
    const bind = { message: "bind message supplies 1 parameters", code: "08P01" };
    expect(mapPostgresServerError(bind, ADDRESS)).toBeInstanceOf(DatabaseError);
    expect(mapPostgresServerError({ ...bind, severity: "ERROR" }, ADDRESS)).not.toBeInstanceOf(
      ConnectionError,
    );
    const fatal = mapPostgresServerError({ ...bind, severity: "FATAL" }, ADDRESS);
    expect(fatal).toBeInstanceOf(ConnectionError);
    expect(fatal.message).toBe(`Postgres at ${ADDRESS}: bind message supplies 1 parameters`);
  });

  it("shutdowns and session timeouts are connection errors whatever the severity", () => {
    for (const code of ["57P01", "25P03", "3D000", "28P01"]) {
      const err = mapPostgresServerError({ message: "m", code }, ADDRESS);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).code).toBe(code);
    }
  });

  it("drops quoted input from data exceptions and hints at a missing table", () => {
    const data = mapPostgresServerError(
      { message: 'invalid input syntax for type integer: "secret"', code: "22P02" },
      ADDRESS,
    );
    expect(data).toBeInstanceOf(DatabaseError);
    expect(data.message).toBe('invalid input syntax for type integer: "…"');
    const missing = mapPostgresServerError(
      { message: 'relation "books" does not exist', code: "42P01" },
      ADDRESS,
    );
    expect(missing.message).toMatch(/^relation "books" does not exist.*generateSchemas/s);
    // No model has the table (a typo in raw SQL): the database's words alone.
    const typo = mapPostgresServerError(
      { message: 'relation "nope" does not exist', code: "42P01" },
      ADDRESS,
    );
    expect(typo.message).toBe('relation "nope" does not exist');
  });
});
