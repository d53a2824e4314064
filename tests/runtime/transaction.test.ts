/**
 * inTransaction with a callback that returns a thenable without awaiting it (a QuerySet): the
 * thenable is started inside the transaction, on every database and driver.
 */
import { beforeEach, expect, it } from "vitest";
import { isInTransaction } from "../../runtime/transaction.js";
import { Author, ValidationError, inTransaction } from "../features/generated/index.js";
import { forEachTarget, resetData, takeStatements } from "../features/harness.js";

forEachTarget(() => {
  beforeEach(resetData);

  it("runs a QuerySet returned by the callback inside the transaction", async () => {
    await Author.create({ name: "A" });
    takeStatements();
    const rows = await inTransaction(() => Author.filter({ name: "A" }));
    expect(rows.map((a) => a.name)).toEqual(["A"]);
    const sent = takeStatements().map((s) => s.sql.split(" ")[0]);
    expect(sent).toContain("SELECT");
  });

  it("calls a returned thenable's then() inside the transaction's context", async () => {
    // A bare thenable (not a promise): it only learns where it runs when then() is called.
    const probe = {
      then(resolve: (value: boolean) => void) {
        resolve(isInTransaction());
      },
    } as unknown as PromiseLike<boolean>;
    const inside = await inTransaction(() => probe);
    expect(inside).toBe(true);
  });

  it("rejects with the error of a returned QuerySet", async () => {
    await expect(
      inTransaction(() => Author.filter({ name__in: "not a list" as never })),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
