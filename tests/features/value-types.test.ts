import { beforeEach, expect, it } from "vitest";
import { Item } from "./generated/index.js";
import { forEachTarget, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  beforeEach(resetData);

  it("binds each value in the form its database stores (docs/design.md, storage)", async () => {
    const item = await Item.create({
      name: "all",
      big: 9_007_199_254_740_993n,
      small: -3,
      flag: true,
      ratio: 0.5,
      amount: "1.5",
      at: new Date("2024-05-06T07:08:09.123Z"),
      day: "2024-02-29",
      clock: "23:59:58.120",
      uid: "6F9619FF-8B86-D011-B42D-00CF4FC964FF",
      data: { a: [1, null] },
      blob: new Uint8Array([0, 255]),
      status: "published",
      level: 3,
    });
    const [insert] = takeStatements();
    expect(insert?.sql).toMatch(
      /^INSERT INTO "item" \("name", "big", "small", "body", "flag", "ratio", "amount", "at", "day", "clock", "uid", "data", "blob", "status", "level", "updated_at"\) VALUES /,
    );
    expect(insert?.params).toEqual([
      "all",
      9_007_199_254_740_993n,
      -3,
      null, // every column is written, so one statement shape serves every create
      target.dialect === "postgres" ? true : 1,
      0.5,
      "1.5000000000",
      // MySQL's DATETIME(6) takes UTC wall-clock text (the session's time_zone is UTC).
      target.dialect === "mysql" ? "2024-05-06 07:08:09.123" : "2024-05-06T07:08:09.123Z",
      "2024-02-29",
      "23:59:58.12",
      "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
      '{"a":[1,null]}',
      new Uint8Array([0, 255]),
      "published",
      3,
      target.dialect === "mysql"
        ? item.updatedAt.toISOString().replace("T", " ").replace("Z", "")
        : item.updatedAt.toISOString(),
    ]);
    expect(item.clock).toBe("23:59:58.12");
    expect(item.uid).toBe("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
  });

  it("round-trips every value type exactly", async () => {
    const at = new Date("2024-05-06T07:08:09.123Z");
    const created = await Item.create({
      name: "all",
      big: 9_007_199_254_740_993n, // 2^53 + 1
      small: -32768,
      body: "multi\nline ✓ 😀",
      flag: true,
      ratio: 0.1 + 0.2,
      amount: "12345678901234567890.1234567891",
      at,
      day: "2024-02-29",
      clock: "23:59:58.123456",
      uid: "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
      data: { nested: [1, "two", null, true], n: 1.5 },
      blob: new Uint8Array([0, 1, 2, 254, 255]),
      status: "published",
      level: 3,
    });
    const item = await Item.get({ id: created.id });
    for (const got of [created, item]) {
      expect(got.big).toBe(9_007_199_254_740_993n);
      expect(got.small).toBe(-32768);
      expect(got.body).toBe("multi\nline ✓ 😀");
      expect(got.flag).toBe(true);
      expect(got.ratio).toBe(0.1 + 0.2);
      expect(got.amount).toBe("12345678901234567890.1234567891");
      expect(got.at).toEqual(at);
      expect(got.day).toBe("2024-02-29");
      expect(got.clock).toBe("23:59:58.123456");
      expect(got.uid).toBe("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
      expect(got.data).toEqual({ nested: [1, "two", null, true], n: 1.5 });
      expect(got.blob).toBeInstanceOf(Uint8Array);
      expect([...(got.blob ?? [])]).toEqual([0, 1, 2, 254, 255]);
      expect(got.status).toBe("published");
      expect(got.level).toBe(3);
      expect(got.updatedAt).toBeInstanceOf(Date);
    }
  });

  it("fills defaults and keeps nullable fields null", async () => {
    const item = await Item.create({ name: "bare" });
    expect(item.small).toBe(0);
    expect(item.flag).toBe(false);
    expect(item.status).toBe("draft");
    for (const key of [
      "big",
      "body",
      "ratio",
      "amount",
      "at",
      "day",
      "clock",
      "uid",
      "data",
      "blob",
      "level",
    ] as const) {
      expect(item[key]).toBeNull();
    }
  });

  it("canonicalises decimals to the declared scale", async () => {
    const item = await Item.create({ name: "d", amount: "1.5" });
    expect(item.amount).toBe("1.5000000000");
    const negative = await Item.create({ name: "n", amount: -0.25 });
    expect(negative.amount).toBe("-0.2500000000");
  });

  it("keeps datetimes as UTC instants to the millisecond", async () => {
    const dates = [
      new Date("1970-01-01T00:00:00.000Z"),
      new Date("1999-12-31T23:59:59.999Z"),
      new Date("2038-01-19T03:14:08.001Z"),
    ];
    for (const at of dates) await Item.create({ name: at.toISOString(), at });
    const got = await Item.all().orderBy("at").valuesList("at", { flat: true });
    expect(got).toEqual(dates);
  });

  it("bumps autoNow fields on save", async () => {
    const item = await Item.create({ name: "t" });
    const first = item.updatedAt.getTime();
    await new Promise((r) => setTimeout(r, 5));
    item.name = "t2";
    await item.save();
    expect(item.updatedAt.getTime()).toBeGreaterThan(first);
    const fresh = await Item.get({ id: item.id });
    expect(fresh.updatedAt.getTime()).toBe(item.updatedAt.getTime());
  });

  it("stores JSON scalars, arrays and null distinctly from SQL NULL", async () => {
    const a = await Item.create({ name: "arr", data: [1, 2, 3] });
    const s = await Item.create({ name: "str", data: "text" });
    expect((await Item.get({ id: a.id })).data).toEqual([1, 2, 3]);
    expect((await Item.get({ id: s.id })).data).toBe("text");
  });
});
