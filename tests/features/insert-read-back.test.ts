/**
 * create(), save() and bulkCreate() on a MySQL server without INSERT … RETURNING (MySQL 8,
 * MariaDB before 10.5): the INSERT, then the rows read back by key in the same transaction
 * (runtime/model/insert-read-back.ts). Run on the MariaDB at hand, told it has no RETURNING and,
 * in the second pass, that its AUTO_INCREMENT lock mode is 2 (interleaved, MySQL 8's default),
 * where a multi-row INSERT's keys are not consecutive and rows go one statement each.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Author,
  Book,
  IntegrityError,
  NotSupportedError,
  Stamp,
  Tag,
  Ticket,
  ValidationError,
  inTransaction,
} from "./generated/index.js";
import { rejects } from "./harness.js";
import { targets, useDatabase } from "../support/targets.js";
import { adjustMysqlServerForTests } from "../../runtime/driver/mysql2/server.js";
import { currentDriver } from "../../runtime/transaction.js";

/** Read back with a bound key list: the datetime as the server's text (docs/mysql.md). */
const AUTHOR = `"author"."id", "author"."name", "author"."email", CAST("author"."created_at" AS CHAR) AS "created_at"`;
const IN = ` IN (SELECT "v" FROM JSON_TABLE(?, '$[*]' COLUMNS ("v" BIGINT PATH '$')) AS "yara_in")`;

for (const target of targets().filter((t) => t.dialect === "mysql")) {
  for (const lockMode of [1, 2] as const) {
    describe(`${target.name} without INSERT … RETURNING, innodb_autoinc_lock_mode ${lockMode}`, () => {
      beforeAll(() =>
        adjustMysqlServerForTests((server) => ({
          ...server,
          returning: false,
          autoincLockMode: lockMode,
        })),
      );
      afterAll(() => adjustMysqlServerForTests(undefined));
      const sent: string[] = [];
      useDatabase(target, { log: (event) => sent.push(event.sql) });
      const statements = () => sent.splice(0);

      beforeEach(async () => {
        await Book.all().delete();
        await Author.all().delete();
        await Tag.all().delete();
        await Ticket.all().delete();
        await Stamp.all().delete();
        sent.length = 0;
      });

      it("connects with the dialect variant saying so", () => {
        const dialect = currentDriver().dialect;
        expect(dialect.supports.insertReturning).toBe(false);
        expect(dialect.insertIdStep).toBe(lockMode === 1 ? 1 : undefined);
      });

      it("create() inserts, then reads the row back by its new key", async () => {
        const ada = await Author.create({ name: "Ada", email: "a@x.org" });
        expect(statements()).toEqual([
          `INSERT INTO "author" ("name", "email", "created_at") VALUES (?, ?, ?)`,
          `SELECT ${AUTHOR} FROM "author" WHERE "author"."id"${IN}`,
        ]);
        expect(typeof ada.id).toBe("number");
        expect(ada).toEqual(await Author.get({ id: ada.id }));
        // save() is then an UPDATE of that row.
        ada.name = "Ada L.";
        await ada.save();
        expect((await Author.get({ id: ada.id })).name).toBe("Ada L.");
      });

      it("create() returns the values the database filled in, as RETURNING would", async () => {
        const stamp = await Stamp.create({ label: "s" });
        const stored = await Stamp.get({ id: stamp.id });
        expect(stamp).toEqual(stored);
        expect(stamp.dbScore).toBe(7);
        expect(stamp.dbUid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
        expect(stamp.dbAt).toBeInstanceOf(Date);
        expect(stamp.dbDay).toMatch(/^\d{4}-\d\d-\d\d$/);
      });

      it("a new instance's save() reads its row back too", async () => {
        const author = Author.build({ name: "Built" });
        await author.save();
        expect(author.id).toBeTypeOf("number");
        expect(author).toEqual(await Author.get({ id: author.id }));
      });

      it("bulkCreate returns the rows in input order with their keys", async () => {
        const names = ["e", "a", "d", "b", "c"];
        const rows = await Author.bulkCreate(names.map((name) => ({ name })));
        expect(rows.map((r) => r.name)).toEqual(names);
        const ids = rows.map((r) => r.id);
        expect(new Set(ids).size).toBe(5);
        for (const row of rows) expect(row).toEqual(await Author.get({ id: row.id }));
        const inserts = statements().filter((s) => s.startsWith("INSERT"));
        // Lock mode 1 numbers one statement's rows consecutively; mode 2 does not promise it.
        expect(inserts).toHaveLength(lockMode === 1 ? 1 : 5);
        if (lockMode === 1) {
          expect(inserts[0]).toBe(
            `INSERT INTO "author" ("name", "email", "created_at") VALUES ${Array(5).fill("(?, ?, ?)").join(", ")}`,
          );
          expect(ids).toEqual(ids.map((_id, k) => ids[0]! + k));
        }
      });

      it("bulkCreate in batches, in one transaction", async () => {
        const rows = await Author.bulkCreate(
          Array.from({ length: 7 }, (_v, i) => ({ name: `n${i}` })),
          { batchSize: 3 },
        );
        expect(rows.map((r) => r.name)).toEqual(["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
        for (const row of rows) expect((await Author.get({ id: row.id })).name).toBe(row.name);
        const inserts = statements().filter((s) => s.startsWith("INSERT"));
        expect(inserts).toHaveLength(lockMode === 1 ? 3 : 7);

        // A failing batch rolls the earlier ones back.
        await Author.create({ name: "taken", email: "t@x.org" });
        const err = await rejects(
          Author.bulkCreate([{ name: "x" }, { name: "y" }, { name: "dup", email: "t@x.org" }], {
            batchSize: 2,
          }),
        );
        expect(err).toBeInstanceOf(IntegrityError);
        expect(await Author.filter({ name__in: ["x", "y", "dup"] }).count()).toBe(0);
      });

      it("bulkCreate with keys given, and rows mixing given and database keys", async () => {
        const tags = await Tag.bulkCreate([
          { id: 50, name: "fifty" },
          { id: 10, name: "ten" },
        ]);
        expect(tags.map((t) => [t.id, t.name])).toEqual([
          [50, "fifty"],
          [10, "ten"],
        ]);
        const mixed = await Tag.bulkCreate([
          { name: "auto1" },
          { id: 70, name: "seventy" },
          { name: "auto2" },
        ]);
        expect(mixed.map((t) => t.name)).toEqual(["auto1", "seventy", "auto2"]);
        expect(mixed[1]!.id).toBe(70);
        for (const tag of mixed) expect(tag).toEqual(await Tag.get({ id: tag.id }));
        // UUID keys the runtime fills in are read back by them.
        const tickets = await Ticket.bulkCreate([{ title: "t1" }, { title: "t2" }]);
        expect(tickets.map((t) => t.title)).toEqual(["t1", "t2"]);
        for (const ticket of tickets) expect(ticket).toEqual(await Ticket.get({ id: ticket.id }));
        const one = await Ticket.create({ title: "t3" });
        expect(one).toEqual(await Ticket.get({ id: one.id }));
      });

      it("upserts name the row written, inserted or updated, whichever unique key matched", async () => {
        const old = await Tag.create({ name: "old" });
        statements();
        const rows = await Tag.bulkCreate([{ name: "new" }, { name: "old" }, { name: "new2" }], {
          onConflict: { update: ["name"], conflict: ["name"] },
        });
        expect(rows.map((t) => t.name)).toEqual(["new", "old", "new2"]);
        expect(rows[1]!.id).toBe(old.id);
        for (const tag of rows) expect(tag).toEqual(await Tag.get({ id: tag.id }));
        expect(statements().filter((s) => s.startsWith("INSERT"))).toEqual(
          Array(3).fill(
            `INSERT INTO "tag" ("name") VALUES (?) ON DUPLICATE KEY UPDATE "id" = LAST_INSERT_ID("id"), "name" = VALUES("name")`,
          ),
        );

        // An update of other fields, matched on another unique key than the pk.
        const ada = await Author.create({ name: "Ada", email: "a@x.org" });
        const [updated, added] = await Author.bulkCreate(
          [
            { name: "Ada Lovelace", email: "a@x.org" },
            { name: "Grace", email: "g@x.org" },
          ],
          { onConflict: { update: ["name"], conflict: ["email"] } },
        );
        expect([updated!.id, updated!.name]).toEqual([ada.id, "Ada Lovelace"]);
        expect(added!.name).toBe("Grace");
        expect(await Author.all().count()).toBe(2);

        // Keys given: matched on the pk.
        const [renamed] = await Tag.bulkCreate([{ id: old.id, name: "renamed" }], {
          onConflict: { update: ["name"] },
        });
        expect([renamed!.id, renamed!.name]).toEqual([old.id, "renamed"]);
        const [fresh] = await Tag.bulkCreate([{ id: 500, name: "fresh" }], {
          onConflict: { update: ["name"] },
        });
        expect([fresh!.id, fresh!.name]).toEqual([500, "fresh"]);
        // Keys the runtime gives (UUID): read back by them.
        const ticket = await Ticket.create({ title: "before" });
        const [again] = await Ticket.bulkCreate([{ id: ticket.id, title: "after" }], {
          onConflict: { update: ["title"] },
        });
        expect([again!.id, again!.title]).toEqual([ticket.id, "after"]);
      });

      it("refuses an upsert that matched another unique key of a row with a runtime key, and rolls it back", async () => {
        const held = await Ticket.create({ title: "held", code: "T-1" });
        // The runtime gives the new row a fresh UUID; the INSERT matches "code" instead and
        // updates the row holding it, whose key the client cannot learn without RETURNING.
        const err = await rejects(
          Ticket.bulkCreate([{ title: "taken over", code: "T-1" }], {
            onConflict: { update: ["title"], conflict: ["code"] },
          }),
        );
        expect(err).toBeInstanceOf(NotSupportedError);
        expect((err as Error).message).toMatch(/matched another unique key/);
        expect((err as Error).message).toMatch(/rolled back/);
        expect(await Ticket.all().valuesList("title", { flat: true })).toEqual(["held"]);
        expect((await Ticket.get({ id: held.id })).code).toBe("T-1");
        // Matched on the key itself: no ambiguity, the row is read back.
        const [same] = await Ticket.bulkCreate([{ id: held.id, title: "renamed", code: "T-1" }], {
          onConflict: { update: ["title"] },
        });
        expect([same!.id, same!.title]).toEqual([held.id, "renamed"]);
      });

      it("refuses two rows upserting one row, before any SQL, as with RETURNING", async () => {
        const err = await rejects(
          Tag.bulkCreate([{ name: "same" }, { name: "same" }], {
            onConflict: { update: ["name"], conflict: ["name"] },
          }),
        );
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as Error).message).toContain("rows 0 and 1 have the same conflict key");
        expect(statements()).toEqual([]);
        expect(await Tag.all().count()).toBe(0);
      });

      it("refuses ignore: a skipped row cannot be told from an inserted one", async () => {
        const err = await rejects(
          Tag.bulkCreate([{ name: "a" }], { onConflict: { ignore: true, conflict: ["name"] } }),
        );
        expect(err).toBeInstanceOf(NotSupportedError);
        expect((err as NotSupportedError).dialect).toBe("mysql");
        expect((err as Error).message).toContain("onConflict: { ignore: true }");
        expect(statements()).toEqual([]);
      });

      it("inside a transaction: the rows are read on its connection and roll back with it", async () => {
        const boom = new Error("roll back");
        const err = await rejects(
          inTransaction(async () => {
            const a = await Author.create({ name: "in tx" });
            const rows = await Author.bulkCreate([{ name: "r1" }, { name: "r2" }]);
            expect(rows.map((r) => r.name)).toEqual(["r1", "r2"]);
            expect(await Author.get({ id: a.id })).toEqual(a);
            const [tag] = await Tag.bulkCreate([{ name: "t" }], {
              onConflict: { update: ["name"], conflict: ["name"] },
            });
            expect(tag!.name).toBe("t");
            throw boom;
          }),
        );
        expect(err).toBe(boom);
        expect(await Author.all().count()).toBe(0);
        expect(await Tag.all().count()).toBe(0);
      });

      it("getOrCreate and updateOrCreate create through the same path", async () => {
        const [made, created] = await Author.getOrCreate({ email: "z@x.org" }, { name: "Zed" });
        expect(created).toBe(true);
        expect(made).toEqual(await Author.get({ email: "z@x.org" }));
        const [same, again] = await Author.updateOrCreate({ email: "z@x.org" }, { name: "Zoe" });
        expect([again, same.id, same.name]).toEqual([false, made.id, "Zoe"]);
      });
    });
  }
}
