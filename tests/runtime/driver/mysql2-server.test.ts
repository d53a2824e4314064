/**
 * What the mysql2 driver decides from the server it connects to: which servers it refuses and
 * why, which have INSERT … RETURNING, the dialect variant for one without, and the statements
 * that open a transaction with a mode.
 */
import { describe, expect, it } from "vitest";
import { mysqlDialectFor } from "../../../runtime/dialect/mysql/flavour.js";
import { mysql } from "../../../runtime/dialect/mysql/index.js";
import { serverProblem } from "../../../runtime/driver/mysql2/session.js";
import { hasInsertReturning } from "../../../runtime/driver/mysql2/server.js";
import { mysqlBegin } from "../../../runtime/driver/transaction-begin.js";

describe("mysql2 server facts", () => {
  it("accepts MariaDB 10.11 and later; refuses older MariaDB and MySQL, naming why", () => {
    expect(serverProblem("10.11.19-MariaDB-0+deb12u1")).toBeUndefined();
    expect(serverProblem("11.4.2-MariaDB")).toBeUndefined();
    expect(serverProblem("10.6.18-MariaDB")).toBe(
      "the server is MariaDB 10.6; yara needs MariaDB 10.11 or later",
    );
    const mysql8 = serverProblem("8.0.36");
    expect(mysql8).toMatch(/^the server is MySQL 8\.0\.36, which yara does not support yet/);
    expect(mysql8).toContain("utf8mb4_0900_bin");
    expect(mysql8).toContain("ICU rather than PCRE2");
    expect(mysql8).not.toContain("RETURNING");
  });

  it("INSERT … RETURNING: MariaDB from 10.5, never MySQL", () => {
    expect(hasInsertReturning("10.5.0-MariaDB")).toBe(true);
    expect(hasInsertReturning("10.11.19-MariaDB-0+deb12u1")).toBe(true);
    expect(hasInsertReturning("11.0.1-MariaDB")).toBe(true);
    expect(hasInsertReturning("10.4.32-MariaDB")).toBe(false);
    expect(hasInsertReturning("8.0.36")).toBe(false);
    expect(hasInsertReturning("8.4.0-commercial")).toBe(false);
  });

  it("a server without RETURNING gets one variant per kind of key numbering", () => {
    const facts = { returning: false, autoincLockMode: 1, autoIncrementIncrement: 1 };
    expect(mysqlDialectFor({ ...facts, returning: true })).toBe(mysql);
    const consecutive = mysqlDialectFor(facts);
    expect(consecutive.supports.insertReturning).toBe(false);
    expect(consecutive.insertIdStep).toBe(1);
    expect(mysqlDialectFor({ ...facts, autoincLockMode: 0 })).toBe(consecutive);
    expect(mysqlDialectFor({ ...facts, autoIncrementIncrement: 2 }).insertIdStep).toBe(2);
    const interleaved = mysqlDialectFor({ ...facts, autoincLockMode: 2 });
    expect(interleaved.insertIdStep).toBeUndefined();
    expect(interleaved.supports.insertReturning).toBe(false);
    expect(mysqlDialectFor({ ...facts, autoincLockMode: 2, autoIncrementIncrement: 5 })).toBe(
      interleaved,
    );
    // Everything else is the MySQL dialect's.
    expect(interleaved.compiler).toBe(mysql.compiler);
    expect({ ...interleaved.supports, insertReturning: true }).toEqual(mysql.supports);
  });

  it("opens a transaction with SET TRANSACTION before START TRANSACTION", () => {
    expect(mysqlBegin(undefined)).toEqual(["START TRANSACTION"]);
    expect(mysqlBegin({ readOnly: true })).toEqual(["START TRANSACTION READ ONLY"]);
    expect(mysqlBegin({ readOnly: false })).toEqual(["START TRANSACTION READ WRITE"]);
    expect(mysqlBegin({ isolation: "repeatable read", readOnly: true })).toEqual([
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
      "START TRANSACTION READ ONLY",
    ]);
  });
});
