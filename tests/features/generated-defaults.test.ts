/**
 * Values computed per row when none is given: by the runtime (a UUID primary key gets a fresh
 * UUID v4; `defaultFactory`) or by the database (`dbDefault`, read back after the INSERT), on
 * create, bulkCreate and save, each field optional in the create input.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Stamp, Ticket, type StampCreate, type TicketCreate } from "./generated/index.js";
import { forEachTarget, takeStatements } from "./harness.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

forEachTarget(() => {
  beforeEach(async () => {
    await Ticket.all().delete();
    await Stamp.all().delete();
    takeStatements();
  });

  it("fills a UUID primary key on create, bulkCreate and save, one per row", async () => {
    expectTypeOf<{ title: string }>().toExtend<TicketCreate>();
    const one = await Ticket.create({ title: "one" });
    const [two, three] = await Ticket.bulkCreate([{ title: "two" }, { title: "three" }]);
    const four = new Ticket(undefined as unknown as string, "four", null);
    await four.save();
    const ids = [one.id, two!.id, three!.id, four.id];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(4);
    expect(await Ticket.orderBy("title").valuesList("title", "id")).toEqual([
      ["four", four.id],
      ["one", one.id],
      ["three", three!.id],
      ["two", two!.id],
    ]);
    // The key is bound like any value, never left to the database.
    const inserts = takeStatements().filter((s) => s.sql.startsWith("INSERT"));
    expect(
      inserts.map((s) => s.params.filter((p) => p === one.id || p === four.id).length),
    ).toEqual([1, 0, 1]);
  });

  it("keeps a UUID primary key that is given", async () => {
    const id = "123e4567-e89b-42d3-a456-426614174000";
    const t = await Ticket.create({ id, title: "given" });
    expect(t.id).toBe(id);
    expect((await Ticket.get({ id })).title).toBe("given");
  });

  it("defaultFactory: a value per row from the runtime, bound like any other", async () => {
    expectTypeOf<{ label: string }>().toExtend<StampCreate>();
    const before = Date.now();
    const [a, b] = await Stamp.bulkCreate([{ label: "a" }, { label: "b" }]);
    const c = await Stamp.create({ label: "c", token: "mine", day: "2020-02-29" });
    for (const s of [a!, b!]) {
      expect(s.token).toMatch(UUID_V4);
      expect(s.at.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(s.at.getTime()).toBeLessThanOrEqual(Date.now());
      expect(s.day).toBe(new Date(s.at).toISOString().slice(0, 10));
    }
    expect(a!.token).not.toBe(b!.token);
    expect([c.token, c.day]).toEqual(["mine", "2020-02-29"]);
    const stored = await Stamp.orderBy("label").valuesList("label", "token", "day");
    expect(stored).toEqual([
      ["a", a!.token, a!.day],
      ["b", b!.token, b!.day],
      ["c", "mine", "2020-02-29"],
    ]);
  });

  it("dbDefault: the database fills what is left out, and the instance has it", async () => {
    const before = Date.now() - 1000; // the database clock may trail ours by a little
    const one = await Stamp.create({ label: "one" });
    const [two] = await Stamp.bulkCreate([{ label: "two", dbScore: 3 }]);
    const three = new Stamp(
      undefined as unknown as number,
      "three",
      "t",
      new Date(),
      "2021-01-01",
      undefined as unknown as Date,
      undefined as unknown as string,
      undefined as unknown as string,
      undefined as unknown as string,
      undefined as unknown as number,
    );
    await three.save();
    for (const s of [one, two!, three]) {
      expect(s.dbAt).toBeInstanceOf(Date);
      expect(s.dbAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(s.dbAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(s.dbDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(s.dbClock).toMatch(/^\d{2}:\d{2}:\d{2}/);
      expect(s.dbUid).toMatch(UUID_V4);
    }
    expect(new Set([one.dbUid, two!.dbUid, three.dbUid]).size).toBe(3);
    expect([one.dbScore, two!.dbScore, three.dbScore]).toEqual([7, 3, 7]);
    // Left to the database: the INSERT names no such column.
    const insert = takeStatements().find((s) => s.sql.startsWith("INSERT"))!;
    const columns = /^INSERT INTO "stamp" \(([^)]*)\)/.exec(insert.sql)?.[1];
    expect(columns).toBe(`"label", "token", "at", "day"`);
    expect(await Stamp.orderBy("label").valuesList("label", "dbScore", "dbUid")).toEqual([
      ["one", 7, one.dbUid],
      ["three", 7, three.dbUid],
      ["two", 3, two!.dbUid],
    ]);
  });
});
