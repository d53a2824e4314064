// docs/api.md §1, "Generated values and defaults", run on every database.
import assert from "node:assert/strict";
import { Ticket, YaraOrm } from "./generated/index.js";

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
await YaraOrm.close();
