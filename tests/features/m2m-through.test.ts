/**
 * Many-to-many through a model with extra columns (`Student.courses` through `Enrollment`, and
 * the self-referential `Student.mentees` through `Mentorship`, whose keys `throughFields`
 * names): the join rows are a model of their own, read and filtered like any other, while the
 * relation's manager, filters and prefetchRelated go through the model's table. add() fills the
 * extra columns from `throughDefaults` and the model's defaults, and refuses, before any SQL, a
 * row missing a required column.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import {
  Count,
  Course,
  Enrollment,
  FieldError,
  Mentorship,
  Student,
  ValidationError,
  type CourseTypes,
  type EnrollmentTypes,
  type RelatedManager,
  type ThroughDefaults,
} from "./generated/index.js";
import { forEachTarget, rejects, sqlFor, takeStatements, type Target } from "./harness.js";

const COURSE = `"course"."id", "course"."title"`;

forEachTarget((target: Target) => {
  const sql = (postgres: string): string => sqlFor(target, postgres);

  let ann: Student;
  let bob: Student;
  let math: Course;
  let art: Course;
  beforeEach(async () => {
    await Mentorship.all().delete();
    await Enrollment.all().delete();
    await Student.all().delete();
    await Course.all().delete();
    ann = await Student.create({ name: "Ann" });
    bob = await Student.create({ name: "Bob" });
    math = await Course.create({ title: "Math" });
    art = await Course.create({ title: "Art" });
    takeStatements();
  });

  it("add() writes through-model rows with throughDefaults and the model's defaults", async () => {
    const before = Date.now();
    await ann.courses.add(math, art.id, { throughDefaults: { grade: "A", note: "early" } });
    const [insert] = takeStatements();
    expect(insert!.sql).toBe(
      sql(
        `INSERT INTO "enrollment" ("student_id", "course_id", "grade", "note", "enrolled_at") ` +
          `VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10) ` +
          `ON CONFLICT ("student_id", "course_id") DO NOTHING`,
      ),
    );
    const rows = await Enrollment.filter({ student: ann }).orderBy("courseId");
    expect(rows.map((r) => [r.courseId, r.grade, r.note])).toEqual([
      [math.id, "A", "early"],
      [art.id, "A", "early"],
    ]);
    expect(rows[0]!.enrolledAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Adding a pair again keeps the row there (and its columns).
    await ann.courses.add(math, { throughDefaults: { grade: "F" } });
    expect((await Enrollment.get({ student: ann, course: math })).grade).toBe("A");
    expect(await Enrollment.count()).toBe(2);
  });

  it("all(), filter() and count() join through the model's table; its rows filter like any model's", async () => {
    await ann.courses.add(math, art, { throughDefaults: { grade: "B" } });
    await bob.courses.add(art, { throughDefaults: { grade: "C", note: "late" } });
    takeStatements();
    expect((await ann.courses.all().orderBy("title")).map((c) => c.title)).toEqual(["Art", "Math"]);
    expect(takeStatements()).toEqual([
      {
        sql: sql(
          `SELECT ${COURSE} FROM "course" WHERE EXISTS (SELECT 1 FROM "enrollment" AS "t1" ` +
            `WHERE ("t1"."course_id" = "course"."id" AND "t1"."student_id" = $1)) ORDER BY "course"."title" ASC`,
        ),
        params: [ann.id],
      },
    ]);
    expect(await art.students.count()).toBe(2);
    expect((await math.students.filter({ name: "Ann" })).map((s) => s.name)).toEqual(["Ann"]);
    expect(
      await Student.filter({ courses__title: "Art" }).orderBy("name").valuesList("name", {
        flat: true,
      }),
    ).toEqual(["Ann", "Bob"]);
    expect(
      await Course.filter({ students__name: "Bob" }).valuesList("title", { flat: true }),
    ).toEqual(["Art"]);
    // The join rows are a model: filter them by either side and by their own columns.
    expect(
      await Enrollment.filter({ course: art, grade: "C" }).valuesList("student__name", {
        flat: true,
      }),
    ).toEqual(["Bob"]);
    expect(await Student.filter({ enrollments__note: "late" }).count()).toBe(1);
    expect(await ann.enrollments.count()).toBe(2);
    // values() and aggregates cross the through table as they cross an auto join table.
    expect(await Student.filter({ name: "Bob" }).values("name", "courses__title")).toEqual([
      { name: "Bob", courses__title: "Art" },
    ]);
    const counted = await Student.all()
      .annotate({ n: Count("courses") })
      .orderBy("name")
      .valuesList("name", "n");
    expect(counted).toEqual([
      ["Ann", 2],
      ["Bob", 1],
    ]);
  });

  it("prefetchRelated loads the related rows through the model's table", async () => {
    await ann.courses.add(math, art, { throughDefaults: { grade: "B" } });
    await bob.courses.add(art, { throughDefaults: { grade: "C" } });
    const students = await Student.all().orderBy("name").prefetchRelated("courses");
    expect(students.map((s) => s.courses.loaded.map((c) => c.title).sort())).toEqual([
      ["Art", "Math"],
      ["Art"],
    ]);
    const courses = await Course.all().orderBy("title").prefetchRelated("students");
    expect(courses.map((c) => c.students.loaded.map((s) => s.name).sort())).toEqual([
      ["Ann", "Bob"],
      ["Ann"],
    ]);
  });

  it("remove() and clear() delete the join rows", async () => {
    await ann.courses.add(math, art, { throughDefaults: { grade: "B" } });
    await bob.courses.add(math, { throughDefaults: { grade: "B" } });
    takeStatements();
    await ann.courses.remove(math);
    expect(takeStatements()[0]!.sql).toBe(
      sql(
        `DELETE FROM "enrollment" WHERE ("enrollment"."student_id" = $1 AND "enrollment"."course_id" = ANY($2))`,
      ),
    );
    expect(
      await Enrollment.filter({ student: ann }).valuesList("courseId", { flat: true }),
    ).toEqual([art.id]);
    await math.students.clear();
    expect(await Enrollment.filter({ course: math }).count()).toBe(0);
    expect(await Enrollment.count()).toBe(1);
  });

  it("a required column without throughDefaults is a ValidationError naming it, before any SQL", async () => {
    const missing = await rejects(ann.courses.add(math as never));
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as Error).message).toBe(
      "Student.courses: each new Enrollment row needs grade; give it in throughDefaults",
    );
    const unknown = await rejects(
      ann.courses.add(math, { throughDefaults: { grade: "A", mark: 1 } as never }),
    );
    expect((unknown as Error).message).toBe(
      "Enrollment.mark: throughDefaults of Student.courses names no field of Enrollment",
    );
    const pair = await rejects(
      ann.courses.add(math, { throughDefaults: { grade: "A", course: art } as never }),
    );
    expect((pair as Error).message).toBe(
      "Enrollment.course: Student.courses sets it; leave it out of throughDefaults",
    );
    const tooLong = await rejects(ann.courses.add(math, { throughDefaults: { grade: "ABC" } }));
    expect(tooLong).toBeInstanceOf(ValidationError);
    const option = await rejects(ann.courses.add(math, { through: {} } as never));
    expect(option).toBeInstanceOf(ValidationError);
    // create() checks the join row before it writes the course.
    const created = await rejects(ann.courses.create({ title: "Law" } as never));
    expect(created).toBeInstanceOf(ValidationError);
    expect(takeStatements()).toEqual([]);
    expect(await Course.filter({ title: "Law" }).exists()).toBe(false);
  });

  it("create() and getOrCreate() relate the new row with its join row's throughDefaults", async () => {
    const law = await ann.courses.create({ title: "Law" }, { throughDefaults: { grade: "B+" } });
    expect((await Enrollment.get({ student: ann, course: law })).grade).toBe("B+");
    const [again, made] = await ann.courses.getOrCreate(
      { title: "Law" },
      {},
      { throughDefaults: { grade: "C" } },
    );
    expect([again.id, made]).toEqual([law.id, false]);
    const [music, created] = await bob.courses.getOrCreate(
      { title: "Music" },
      {},
      { throughDefaults: { grade: "A" } },
    );
    expect(created).toBe(true);
    expect((await Enrollment.get({ student: bob, course: music })).grade).toBe("A");
  });

  it("a self-referential relation uses the keys throughFields names", async () => {
    const cid = await Student.create({ name: "Cid" });
    await ann.mentees.add(bob, cid, { throughDefaults: { approvedBy: cid } });
    await bob.mentees.add(cid);
    expect((await ann.mentees.all().orderBy("name")).map((s) => s.name)).toEqual(["Bob", "Cid"]);
    expect((await cid.mentors.all().orderBy("name")).map((s) => s.name)).toEqual(["Ann", "Bob"]);
    const rows = await Mentorship.filter({ mentor: ann }).orderBy("menteeId");
    expect(rows.map((r) => [r.menteeId, r.approvedById, r.since])).toEqual([
      [bob.id, cid.id, 2020],
      [cid.id, cid.id, 2020],
    ]);
    await cid.mentors.remove(ann);
    expect(await ann.mentees.count()).toBe(1);
  });

  it("throughDefaults is refused where there is no through model", async () => {
    const wrong = await rejects(
      ann.enrollments.add(1, { throughDefaults: { grade: "A" } } as never),
    );
    expect(wrong).toBeInstanceOf(ValidationError);
    expect(await rejects(ann.courses.all().filter({ nope: 1 } as never))).toBeInstanceOf(
      FieldError,
    );
  });

  it("types: throughDefaults is the through model's create input without the pair", () => {
    expectTypeOf(ann.courses).toEqualTypeOf<
      RelatedManager<
        CourseTypes,
        never,
        ThroughDefaults<EnrollmentTypes, "student" | "studentId" | "course" | "courseId">
      >
    >();
    if (Date.now() < 0) {
      // @ts-expect-error grade is required: add() needs throughDefaults.
      void ann.courses.add(math);
      // @ts-expect-error the pair is the manager's to set.
      void ann.courses.add(math, { throughDefaults: { grade: "A", course: art } });
      // Mentorship's other columns all have defaults: the options may be left out.
      void ann.mentees.add(bob);
      // @ts-expect-error a reverse foreign key takes no throughDefaults.
      void ann.enrollments.add(1, { throughDefaults: {} });
    }
  });
});
