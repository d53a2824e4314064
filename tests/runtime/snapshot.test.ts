/**
 * The loaded-values snapshot every decoded instance records (runtime/model/snapshot.ts): in
 * `meta.fields` order, datetimes as epoch milliseconds, whichever order the model's constructor
 * assigned its fields in and whatever properties a subclass adds after them; `changedFields`
 * compares against it.
 */
import { describe, expect, it } from "vitest";
import { loadedSnapshot } from "../../runtime/model/record.js";
import { changedFields, snapshotter } from "../../runtime/model/snapshot.js";
import { Model } from "../../runtime/index.js";
import { authorMeta } from "./query/fixtures.js";

const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));

/** Assigns its fields in meta order, as generated constructors do. */
class InOrder extends Model {
  constructor(
    public id: number,
    public name: string,
    public email: string | null,
    public createdAt: Date,
  ) {
    super();
  }
}

/** Assigns the same fields in another order. */
class OutOfOrder extends Model {
  createdAt: Date;
  email: string | null;
  name: string;
  id: number;
  constructor(id: number, name: string, email: string | null, createdAt: Date) {
    super();
    this.createdAt = createdAt;
    this.email = email;
    this.name = name;
    this.id = id;
  }
}

/** Meta order, then a property of its own. */
class WithExtra extends InOrder {
  note = "extra";
}

describe("snapshotter", () => {
  for (const [label, make] of [
    ["fields in meta order", (id: number) => new InOrder(id, "Ada", null, new Date(at))],
    ["fields in another order", (id: number) => new OutOfOrder(id, "Ada", null, new Date(at))],
    [
      "a subclass property after the fields",
      (id: number) => new WithExtra(id, "Ada", null, new Date(at)),
    ],
  ] as const) {
    it(`records meta order, datetimes as milliseconds: ${label}`, () => {
      const remember = snapshotter(() => authorMeta);
      // The first instance decides how values are read; later ones take the same path.
      for (const id of [1, 2, 3]) {
        const instance = remember(make(id));
        expect(loadedSnapshot(instance)).toEqual([id, "Ada", null, at.getTime()]);
      }
      const changed = remember(make(4));
      (changed as unknown as { email: string }).email = "ada@example.com";
      (changed as unknown as { createdAt: Date }).createdAt.setTime(0);
      expect(changedFields(authorMeta, changed)?.map((f) => f.name)).toEqual([
        "email",
        "createdAt",
      ]);
    });
  }
});
