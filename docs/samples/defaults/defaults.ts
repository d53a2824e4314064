// docs/api.md §1, "Generated values and defaults", run on every database.
import assert from "node:assert/strict";
import { Ticket, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();

// #region uuid-pk
const ticket = await Ticket.create({ title: "Printer jam" }); // no id: one is generated
const [a, b] = await Ticket.bulkCreate([{ title: "A" }, { title: "B" }]); // one per row
const mine = await Ticket.create({ id: "0b9a6f0e-4a8e-4b43-9a55-6b6f8b8b9e11", title: "Mine" });
// #endregion
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
for (const t of [ticket, a!, b!]) assert.match(t.id, uuidV4);
assert.equal(new Set([ticket.id, a!.id, b!.id]).size, 3);
assert.equal(mine.id, "0b9a6f0e-4a8e-4b43-9a55-6b6f8b8b9e11");
assert.equal((await Ticket.get({ id: ticket.id })).title, "Printer jam");

// #region factories
const before = Date.now();
const t = await Ticket.create({ title: "Toner" });
const { openedAt, dueOn, code } = t; // by yara: the create's time, today (UTC), a UUID v4
const { loggedAt, traceId, priority } = t; // by the database, read back: its clock, a UUID v4, 3
// #endregion
typeIs<Date>()(openedAt);
typeIs<Date>()(loggedAt);
assert.ok(openedAt.getTime() >= before && openedAt.getTime() <= Date.now());
assert.equal(dueOn, openedAt.toISOString().slice(0, 10));
assert.match(code, uuidV4);
assert.ok(Math.abs(loggedAt.getTime() - before) < 60_000);
assert.match(traceId, uuidV4);
assert.equal(priority, 3);
const stored = await Ticket.get({ id: t.id });
assert.deepEqual(
  [stored.code, stored.traceId, stored.priority, stored.loggedAt.getTime()],
  [t.code, t.traceId, 3, t.loggedAt.getTime()],
);

// #region in-code
// Anything else: compute the value where the row is made.
const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
const paper = await Ticket.create({ title: "Paper Tray", code: slug("Paper Tray") });
// #endregion
assert.equal(paper.code, "paper-tray");
await YaraOrm.close();
