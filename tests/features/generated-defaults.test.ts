/**
 * Values the runtime computes per row when none is given: a UUID primary key gets a fresh
 * UUID v4 on create, bulkCreate and save, and is optional in the create input.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Ticket, type TicketCreate } from "./generated/index.js";
import { forEachTarget, takeStatements } from "./harness.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

forEachTarget(() => {
  beforeEach(async () => {
    await Ticket.all().delete();
    takeStatements();
  });

  it("fills a UUID primary key on create, bulkCreate and save, one per row", async () => {
    expectTypeOf<{ title: string }>().toExtend<TicketCreate>();
    const one = await Ticket.create({ title: "one" });
    const [two, three] = await Ticket.bulkCreate([{ title: "two" }, { title: "three" }]);
    const four = new Ticket(undefined as unknown as string, "four");
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
});
