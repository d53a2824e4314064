import { beforeEach, expect, it } from "vitest";
import { Author, TransactionError, inTransaction } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget(() => {
  beforeEach(resetData);

  const names = async () =>
    (await Author.all().orderBy("name").valuesList("name", { flat: true })) as string[];

  it("commits and returns the function's value", async () => {
    const id = await inTransaction(async () => {
      const a = await Author.create({ name: "A" });
      await Author.create({ name: "B" });
      return a.id;
    });
    expect(typeof id).toBe("number");
    expect(await names()).toEqual(["A", "B"]);
  });

  it("rolls back everything on a throw and rethrows the same error", async () => {
    const boom = new Error("boom");
    await expect(
      inTransaction(async () => {
        await Author.create({ name: "A" });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await names()).toEqual([]);
  });

  it("nests with savepoints: an inner failure leaves the outer work", async () => {
    await inTransaction(async () => {
      await Author.create({ name: "outer" });
      await expect(
        inTransaction(async () => {
          await Author.create({ name: "inner" });
          throw new Error("inner fails");
        }),
      ).rejects.toThrow("inner fails");
      await inTransaction(async () => {
        await Author.create({ name: "inner ok" });
      });
    });
    expect(await names()).toEqual(["inner ok", "outer"]);
  });

  it("an outer failure rolls back committed savepoints too", async () => {
    await expect(
      inTransaction(async () => {
        await inTransaction(async () => {
          await Author.create({ name: "inner" });
        });
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await names()).toEqual([]);
  });

  it("concurrent transactions are isolated from each other", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = inTransaction(async () => {
      await Author.create({ name: "first" });
      await gate;
      throw new Error("first rolls back");
    });
    const second = inTransaction(async () => {
      await Author.create({ name: "second" });
    });
    // Let the second run (or queue) before the first finishes.
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(first).rejects.toThrow("first rolls back");
    await second;
    expect(await names()).toEqual(["second"]);
  });

  it("sees its own writes inside and hides them outside until commit", async () => {
    await Author.create({ name: "before" });
    await inTransaction(async () => {
      await Author.create({ name: "inside" });
      expect(await Author.all().count()).toBe(2);
    });
    expect(await Author.all().count()).toBe(2);
  });

  it("refuses to use a finished transaction's connection", async () => {
    // Work chained inside the callback (so it keeps the transaction's context) that runs only
    // after inTransaction has resolved: no timer, so a slow COMMIT cannot let it in.
    let leaked: Promise<unknown> | undefined;
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    await inTransaction(async () => {
      leaked = committed.then(() => Author.create({ name: "late" }));
    });
    release();
    await expect(leaked).rejects.toBeInstanceOf(TransactionError);
  });
});
