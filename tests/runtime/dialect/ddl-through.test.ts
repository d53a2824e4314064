/**
 * DDL of a many-to-many relation through a model: the through model's table is created once,
 * as a model (its key, foreign keys, unique pair and indexes), with no auto join table beside it.
 */
import { describe, expect, it } from "vitest";
import { schemaStatements } from "../../../runtime/dialect/ddl.js";
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { Course, Enrollment, Mentorship, Student } from "../../features/generated/index.js";

const metas = [Student.meta, Course.meta, Enrollment.meta, Mentorship.meta];

describe.each(["postgres", "sqlite"] as const)("DDL on %s", (dialect) => {
  const sql = schemaStatements(metas, dialectNamed(dialect));

  it("creates the through model's table once and no auto join table", () => {
    const tables = sql.filter((s) => s.startsWith("CREATE TABLE"));
    expect(tables.map((s) => /CREATE TABLE IF NOT EXISTS "(\w+)"/.exec(s)?.[1])).toEqual([
      "student",
      "course",
      "enrollment",
      "mentorship",
    ]);
    const enrollment = tables.find((s) => s.includes('"enrollment"'))!;
    expect(enrollment).toContain(
      `CONSTRAINT "enrollment_student_id_course_id_key" UNIQUE ("student_id", "course_id")`,
    );
    expect(enrollment).toContain(`"grade"`);
  });
});
