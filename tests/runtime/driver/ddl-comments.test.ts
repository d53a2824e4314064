/**
 * `description` options become Postgres comments (COMMENT ON TABLE / COLUMN) through
 * schemaStatements, run on the real databases twice; SQLite, which has no comments, gets none.
 */
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { describe, expect, it } from "vitest";
import { schemaStatements } from "../../../runtime/dialect/ddl.js";
import type { RelationMeta } from "../../../runtime/model/meta.js";
import { targets } from "../../support/targets.js";
import { field, model } from "../dialect/ddl-fixtures.js";
import { useDriver } from "./open.js";

const id = field("id", "int", { pk: true, generated: true });
const shelf = model(
  "Shelf",
  "shelf",
  [id, field("name", "text", { description: "Shown on the label" })],
  {
    description: "Where books stand; it's labelled",
    relations: [
      {
        name: "tags",
        kind: "manyToMany",
        target: "Shelf",
        inverse: "shelves",
        nullable: false,
        through: {
          table: "shelf_shelf",
          sourceColumn: "from_shelf_id",
          targetColumn: "to_shelf_id",
        },
        description: "Shelves next to each other",
      },
    ],
  },
);
const owner: RelationMeta = {
  name: "shelf",
  kind: "foreignKey",
  target: "Shelf",
  inverse: "slots",
  nullable: false,
  keyField: "shelfId",
  onDelete: "CASCADE",
  description: "The shelf holding the slot",
};
const slot = model("Slot", "slot", [id, field("shelfId", "int")], { relations: [owner] });

describe("comment statements", () => {
  it("are written for Postgres from model, field and relation descriptions, quoted", () => {
    const comments = schemaStatements([shelf, slot], dialectNamed("postgres")).filter((s) =>
      s.startsWith("COMMENT"),
    );
    expect(comments).toEqual([
      `COMMENT ON TABLE "shelf" IS 'Where books stand; it''s labelled'`,
      `COMMENT ON COLUMN "shelf"."name" IS 'Shown on the label'`,
      `COMMENT ON TABLE "shelf_shelf" IS 'Shelves next to each other'`,
      `COMMENT ON COLUMN "slot"."shelf_id" IS 'The shelf holding the slot'`,
    ]);
    expect(
      schemaStatements([shelf, slot], dialectNamed("sqlite")).some((s) => s.includes("COMMENT")),
    ).toBe(false);
  });
});

for (const target of targets()) {
  describe(`descriptions on ${target.name}`, () => {
    const db = useDriver(target);

    it("are stored as comments on Postgres, twice without error", async () => {
      const { driver } = db;
      for (let i = 0; i < 2; i++)
        for (const sql of schemaStatements([shelf, slot], driver.dialect))
          await driver.execute(sql, []);
      if (driver.dialect.name !== "postgres") return;
      const res = await driver.query(
        `SELECT obj_description('shelf'::regclass, 'pg_class'), col_description('shelf'::regclass, 2), col_description('slot'::regclass, 2)`,
        [],
      );
      expect([res.reader.text(0, 0), res.reader.text(1, 0), res.reader.text(2, 0)]).toEqual([
        "Where books stand; it's labelled",
        "Shown on the label",
        "The shelf holding the slot",
      ]);
    });
  });
}
