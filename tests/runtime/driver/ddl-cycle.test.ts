/** schemaStatements for foreign keys that form a cycle, run on the real databases: twice, and inside a transaction. */
import { describe, expect, it } from "vitest";
import { schemaStatements } from "../../../runtime/dialect/ddl.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import type { RelationMeta } from "../../../runtime/model/meta.js";
import { targets } from "../../support/targets.js";
import { field, model } from "../dialect/ddl-fixtures.js";
import { placeholders, useDriver } from "./open.js";

const fk = (name: string, target: string, keyField: string): RelationMeta => ({
  name,
  kind: "foreignKey",
  target,
  inverse: "",
  nullable: true,
  keyField,
  onDelete: "SET NULL",
});
const id = field("id", "int", { pk: true, generated: true });
// Team → Person (captain) → Team (team): a cycle, plus a self-reference on Person (mentor).
const team = model("Team", "team", [id, field("captainId", "int", { nullable: true })], {
  relations: [fk("captain", "Person", "captainId")],
});
const person = model(
  "Person",
  "person",
  [id, field("teamId", "int", { nullable: true }), field("mentorId", "int", { nullable: true })],
  { relations: [fk("team", "Team", "teamId"), fk("mentor", "Person", "mentorId")] },
);

for (const target of targets()) {
  describe(`a foreign-key cycle on ${target.name}`, () => {
    const db = useDriver(target);
    const run = async (d: Driver) => {
      for (const sql of schemaStatements([team, person], d.dialect)) await d.execute(sql, []);
    };

    it("creates the tables, twice, and again inside a transaction; every key is enforced", async () => {
      const { driver } = db;
      await run(driver);
      await run(driver);
      // MySQL commits every DDL statement on its own: there no DDL runs inside a transaction.
      if (driver.dialect.supports.transactionalDdl)
        await driver.transaction(async (conn) => conn.transaction(async (sp) => run(sp)));
      const insert = (table: string, column: string, value: number) =>
        driver.execute(`INSERT INTO ${table} (${column}) VALUES (${placeholders(driver, 1)})`, [
          value,
        ]);
      await expect(insert("team", "captain_id", 999)).rejects.toMatchObject({
        kind: "foreign_key",
      });
      await expect(insert("person", "team_id", 999)).rejects.toMatchObject({
        kind: "foreign_key",
      });
      await expect(insert("person", "mentor_id", 999)).rejects.toMatchObject({
        kind: "foreign_key",
      });
      if (driver.dialect.name === "postgres") {
        const res = await driver.query(
          "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('team'::regclass, 'person'::regclass)",
          [],
        );
        expect(res.reader.int(0, 0)).toBe(3);
      }
      if (driver.dialect.name === "mysql") {
        const res = await driver.query(
          "SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()",
          [],
        );
        expect(res.reader.int(0, 0)).toBe(3);
      }
    });
  });
}
