/**
 * The loaded-values snapshot every decoded instance records (runtime/model/snapshot.ts): in
 * `meta.fields` order, datetimes as epoch milliseconds, whichever order the model's constructor
 * assigned its fields in and whatever properties a subclass adds after them; `changedFields`
 * compares against it.
 */
import { describe, expect, it } from "vitest";
import {
  keepsSnapshotSource,
  loadedRelation,
  loadedSnapshot,
  setLoadedRelation,
  setLoadedSnapshot,
} from "../../runtime/model/record.js";
import { changedFields, snapshotter } from "../../runtime/model/snapshot.js";
import { Model } from "../../runtime/index.js";
import { sqlite } from "../../runtime/dialect/sqlite/index.js";
import { NativeRowReader, ResultMemory, Tag } from "../../runtime/driver/native/reader.js";
import { MysqlRowReader, type MysqlRow } from "../../runtime/driver/mysql2/reader.js";
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

/**
 * Author rows (id, name, email NULL, createdAt) at byte `base` of a buffer, laid out as
 * native/src/columnar.rs documents it (tests/runtime/driver/native-reader.test.ts tests the
 * reader itself).
 */
function encodeAuthors(
  ids: readonly number[],
  base: number,
): { buffer: ArrayBuffer; text: string } {
  const rows = ids.length;
  const tagBytes = (rows + 7) & ~7;
  const stride = tagBytes + 8 * rows;
  const buffer = new ArrayBuffer(base + 4 * stride);
  const view = new DataView(buffer);
  let text = "";
  ids.forEach((id, r) => {
    const slot = (c: number) => base + c * stride + tagBytes + 8 * r;
    view.setUint8(base + r, Tag.NUMBER);
    view.setFloat64(slot(0), id, true);
    view.setUint8(base + stride + r, Tag.TEXT);
    view.setUint32(slot(1), text.length, true);
    view.setUint32(slot(1) + 4, 3, true);
    text += "Ada";
    view.setUint8(base + 2 * stride + r, Tag.NULL);
    view.setUint8(base + 3 * stride + r, Tag.TIMESTAMP);
    view.setFloat64(slot(3), at.getTime(), true);
  });
  return { buffer, text };
}

const decodeAuthor = (r: NativeRowReader, i: number): InOrder =>
  new InOrder(r.int(0, i), r.text(1, i), null, r.datetime(3, i));

/**
 * Three authors 1–3 named Ada, each keeping its result row: unchanged when loaded; a value set
 * back is no change, a loaded Date changed in place is one, a new value is one.
 */
function comparesWithItsRow(rows: readonly InOrder[]): [InOrder, InOrder, InOrder] {
  for (const [i, row] of rows.entries()) {
    expect(keepsSnapshotSource(row)).toBe(true);
    expect(loadedSnapshot(row)).toEqual([i + 1, "Ada", null, at.getTime()]);
    expect(changedFields(authorMeta, row)).toEqual([]);
  }
  const [first, second, third] = rows as [InOrder, InOrder, InOrder];
  first.name = "Grace";
  first.name = "Ada"; // undone: no change
  second.createdAt.setTime(0); // the loaded Date changed in place: a change
  third.email = "ada@example.com";
  expect(changedFields(authorMeta, first)?.map((f) => f.name)).toEqual([]);
  expect(changedFields(authorMeta, second)?.map((f) => f.name)).toEqual(["createdAt"]);
  expect(changedFields(authorMeta, third)?.map((f) => f.name)).toEqual(["email"]);
  return [first, second, third];
}

describe("snapshotter on a native result", () => {
  it("keeps the result and the row of a result with a buffer of its own, and compares with it", () => {
    const { buffer, text } = encodeAuthors([1, 2, 3], 0);
    const reader = new NativeRowReader(buffer, text, 3, 4, { dialect: sqlite, bigints: false });
    const remember = snapshotter(() => authorMeta);
    const rows = [0, 1, 2].map((i) => remember(decodeAuthor(reader, i), reader, i, 0));
    const [, , third] = comparesWithItsRow(rows);
    third.id = 9; // another row now: nothing to compare with
    expect(changedFields(authorMeta, third)).toBeUndefined();
  });

  // The instance holds the result in the slot its loaded relations take once there are any
  // (runtime/model/record.ts): either order of the two must keep both.
  it("keeps the result and the row beside relations loaded before or after the snapshot", () => {
    const { buffer, text } = encodeAuthors([1, 2], 0);
    const reader = new NativeRowReader(buffer, text, 2, 4, { dialect: sqlite, bigints: false });
    const remember = snapshotter(() => authorMeta);
    const early = decodeAuthor(reader, 1);
    setLoadedRelation(early, "books", ["early"]);
    remember(early, reader, 1, 0);
    const late = remember(decodeAuthor(reader, 0), reader, 0, 0);
    setLoadedRelation(late, "books", ["late"]);
    for (const [row, id, books] of [
      [early, 2, ["early"]],
      [late, 1, ["late"]],
    ] as const) {
      expect(keepsSnapshotSource(row)).toBe(true);
      expect(loadedSnapshot(row)).toEqual([id, "Ada", null, at.getTime()]);
      expect(loadedRelation(row, "books")).toEqual(books);
    }
    late.name = "Grace";
    expect(changedFields(authorMeta, late)?.map((f) => f.name)).toEqual(["name"]);
    // Saved: the array is the baseline now, the relations stay.
    setLoadedSnapshot(late, [1, "Grace", null, at.getTime()]);
    expect(keepsSnapshotSource(late)).toBe(false);
    expect(changedFields(authorMeta, late)).toEqual([]);
    expect(loadedRelation(late, "books")).toEqual(["late"]);
    // Decoded again from the result (refreshed): its row is the baseline again.
    remember(late, reader, 1, 0);
    expect(keepsSnapshotSource(late)).toBe(true);
    expect(loadedSnapshot(late)).toEqual([2, "Ada", null, at.getTime()]);
    expect(loadedRelation(late, "books")).toEqual(["late"]);
    setLoadedSnapshot(late, undefined);
    expect(loadedSnapshot(late)).toBeUndefined();
    expect(loadedRelation(late, "books")).toEqual(["late"]);
  });

  it("copies the values of a result in an arena, which must not stay alive for one instance", () => {
    const { buffer, text } = encodeAuthors([7], 64);
    const memory = new ResultMemory(buffer);
    const reader = new NativeRowReader(memory, text, 1, 4, { dialect: sqlite, bigints: false }, 64);
    const row = snapshotter(() => authorMeta)(decodeAuthor(reader, 0), reader, 0, 0);
    expect(keepsSnapshotSource(row)).toBe(false);
    expect(loadedSnapshot(row)).toEqual([7, "Ada", null, at.getTime()]);
  });
});

describe("snapshotter on a mysql2 result", () => {
  it("keeps each instance's own row of cells, not the result, and compares with it", () => {
    // As mysql2 hands them over: DATETIME as the server's text, NULL as null.
    const cells: MysqlRow[] = [1, 2, 3].map((id) => [
      id,
      "Ada",
      null,
      "2024-01-02 03:04:05.678000",
    ]);
    const reader = new MysqlRowReader(cells, [], false);
    const remember = snapshotter(() => authorMeta);
    const decode = (i: number): InOrder =>
      new InOrder(reader.int(0, i), reader.text(1, i), null, reader.datetime(3, i));
    const rows = [0, 1, 2].map((i) => remember(decode(i), reader, i, 0));
    const [, second, third] = comparesWithItsRow(rows);
    // Each reads its own row: the result's other rows can go.
    cells[0] = [1, "Grace", "x", "1970-01-01 00:00:00"];
    expect(loadedSnapshot(second)).toEqual([2, "Ada", null, at.getTime()]);
    third.id = 9; // another row now: nothing to compare with
    expect(changedFields(authorMeta, third)).toBeUndefined();
  });

  it("reads a related model's columns from its place in the row", () => {
    const cells: MysqlRow[] = [["other", 5, "Lin", "x@example.com", "2024-01-02 03:04:05.678"]];
    const reader = new MysqlRowReader(cells, [], false);
    const author = new InOrder(
      reader.int(1, 0),
      reader.text(2, 0),
      reader.text(3, 0),
      reader.datetime(4, 0),
    );
    const row = snapshotter(() => authorMeta)(author, reader, 0, 1);
    expect(loadedSnapshot(row)).toEqual([5, "Lin", "x@example.com", at.getTime()]);
  });
});

describe("an instance's bookkeeping", () => {
  it("stays out of its own keys while it holds a result row, a snapshot and relations", () => {
    const reader = new MysqlRowReader([[4, "Ada", null, "2024-01-02 03:04:05.678"]], [], false);
    const author = snapshotter(() => authorMeta)(
      new InOrder(reader.int(0, 0), reader.text(1, 0), null, reader.datetime(3, 0)),
      reader,
      0,
      0,
    );
    setLoadedRelation(author, "books", []);
    expect(keepsSnapshotSource(author)).toBe(true);
    expect(Reflect.ownKeys(author)).toEqual(["id", "name", "email", "createdAt"]);
    setLoadedSnapshot(author, [4, "Ada", null, at.getTime()]);
    expect(keepsSnapshotSource(author)).toBe(false);
    expect(Reflect.ownKeys(author)).toEqual(["id", "name", "email", "createdAt"]);
    expect(loadedSnapshot(author)).toEqual([4, "Ada", null, at.getTime()]);
    expect(loadedRelation(author, "books")).toEqual([]);
  });
});
