/**
 * Custom validators: a schema names them (`validators: ["isbn"]`), the application registers
 * the functions. They run before any SQL on every write path the built-in validators run on
 * (create, bulkCreate, update, save, getOrCreate, updateOrCreate, build) and in the generated
 * zod schemas, refusing with the same ValidationError; a name nobody registered is a
 * ConfigurationError naming the validator and the model at the first value it should check.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError, ValidationError } from "../../runtime/errors.js";
import { registerValidators as registerUntyped } from "../../runtime/model/custom-validators.js";
import { Edition, editionCreateSchema, registerValidators } from "./generated/index.js";
import { forEachTarget, rejects, takeStatements } from "./harness.js";

const seen: unknown[] = [];

beforeAll(() => {
  // Everything but neverRegistered, which the typed call would not allow leaving out.
  registerUntyped({
    isbn: (value: string) => {
      const digits = value.replace(/-/g, "");
      return /^\d{13}$/.test(digits) ? undefined : "is not an ISBN-13 (13 digits)";
    },
    even: (value: number | bigint) => {
      seen.push(value);
      return BigInt(value) % 2n === 0n ? undefined : "must be even";
    },
    notFuture: (value: string) => (value > "2100-01-01" ? "is in the future" : undefined),
  });
});

const GOOD = { isbn: "978-0-306-40615-7", pages: 320 };

/** Refused with `why` before any SQL (`lookup`: after the one SELECT getOrCreate sends first). */
async function refused(
  attempt: Promise<unknown>,
  field: string,
  why: string,
  lookup = false,
): Promise<void> {
  const error = await rejects(attempt);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).message).toBe(`Edition.${field}: ${why}`);
  expect((error as ValidationError).model).toBe("Edition");
  expect((error as ValidationError).field).toBe(field);
  const sent = takeStatements().map((s) => s.sql.slice(0, 6));
  expect(sent, "no SQL").toEqual(lookup ? ["SELECT"] : []);
}

forEachTarget(() => {
  beforeEach(async () => {
    await Edition.all().delete();
    takeStatements();
  });

  it("a refused value is a ValidationError before any SQL, on every write path", async () => {
    const saved = await Edition.create(GOOD);
    takeStatements();
    const bad = { isbn: "978-0-306", pages: 320 };
    await refused(Edition.create(bad), "isbn", "is not an ISBN-13 (13 digits)");
    await refused(Edition.bulkCreate([GOOD, bad]), "isbn", "is not an ISBN-13 (13 digits)");
    await refused(Edition.filter({ id: saved.id }).update({ pages: 3 }), "pages", "must be even");
    await refused(
      Edition.getOrCreate({ isbn: "1" }, { pages: 2 }).then(() => undefined),
      "isbn",
      "is not an ISBN-13 (13 digits)",
      true, // getOrCreate looks first, with a filter value the validators do not hold
    );
    await refused(
      Edition.updateOrCreate({ id: saved.id }, { pages: 5 }).then(() => undefined),
      "pages",
      "must be even",
      true,
    );
    saved.copies = 7n;
    await refused(saved.save(), "copies", "must be even");
    expect(() => Edition.build({ isbn: "x", pages: 2 })).toThrow(
      "Edition.isbn: is not an ISBN-13 (13 digits)",
    );
    expect(await Edition.filter({ isbn: "978-0-306" }).count()).toBe(0); // filters are not held
    expect(await Edition.count()).toBe(1);
  });

  it("an accepted value is written; the validator sees the value as the field reads back", async () => {
    seen.length = 0;
    // A bigint field also takes a safe integer number at run time (its type says bigint).
    const copies = 12 as unknown as bigint;
    const e = await Edition.create({ ...GOOD, copies, printed: "2020-02-02" });
    // The bigint field's number arrives as a bigint (a validator may be asked more than once).
    expect(new Set(seen)).toEqual(new Set([320, 12n]));
    e.pages = 100;
    await e.save();
    await Edition.filter({ id: e.id }).update({ copies: 4n });
    const back = await Edition.get({ id: e.id });
    expect([back.pages, back.copies, back.printed]).toEqual([100, 4n, "2020-02-02"]);
    takeStatements();
    await refused(
      Edition.filter({ id: e.id }).update({ printed: "2200-01-01" }),
      "printed",
      "is in the future",
    );
  });

  it("a validator the schema names but nobody registered fails at its first value, naming it and the model", async () => {
    const onCreate = await rejects(Edition.create({ ...GOOD, note: "hi" }));
    expect(onCreate).toBeInstanceOf(ConfigurationError);
    expect((onCreate as Error).message).toMatch(
      /^Edition: validator "neverRegistered" is not registered; call registerValidators\(\{ neverRegistered: \(value\) => … \}\)/,
    );
    const saved = await Edition.create(GOOD); // a null note has nothing to check
    takeStatements();
    const onUpdate = await rejects(Edition.filter({ id: saved.id }).update({ note: "hi" }));
    expect(onUpdate).toBeInstanceOf(ConfigurationError);
    // The field is named where it is known (a zod schema checks the whole object).
    expect((onUpdate as Error).message).toMatch(
      /^Edition(\.note)?: validator "neverRegistered" is not registered/,
    );
    saved.note = "hi";
    const onSave = await rejects(saved.save());
    expect(onSave).toBeInstanceOf(ConfigurationError);
    expect((onSave as Error).message).toMatch(/^Edition\.note: validator "neverRegistered"/);
    expect(takeStatements()).toEqual([]);
  });
});

describe("the generated zod schemas", () => {
  it("run the custom validators with the same message", () => {
    expect(editionCreateSchema.safeParse(GOOD).success).toBe(true);
    const result = editionCreateSchema.safeParse({ isbn: "12", pages: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("is not an ISBN-13 (13 digits)");
    expect(result.error?.issues[0]?.path).toEqual(["isbn"]);
  });

  it("throw a ConfigurationError for a validator nobody registered", () => {
    expect(() => editionCreateSchema.safeParse({ ...GOOD, note: "x" })).toThrow(
      /^validator "neverRegistered" is not registered/,
    );
  });
});

describe("registerValidators", () => {
  it("refuses what is not a function, and a validator returning anything but a string", async () => {
    expect(() => registerUntyped({ isbn: "x" as never })).toThrow(
      'validator "isbn" must be a function (value) => string | undefined, not string',
    );
    registerValidators({
      isbn: () => undefined,
      // Rejecting later: refused now, and the rejection is not left unhandled (vitest fails on one).
      even: () => Promise.reject(new Error("later")) as never,
      notFuture: () => undefined,
      neverRegistered: () => undefined,
    });
    expect(() => editionCreateSchema.safeParse(GOOD)).toThrow(
      'validator "even" returned a Promise (validators run synchronously, before any SQL); a validator returns a string saying why the value is refused, or undefined',
    );
    registerValidators({
      isbn: () => "",
      even: () => undefined,
      notFuture: () => undefined,
      neverRegistered: () => undefined,
    });
    expect(editionCreateSchema.safeParse(GOOD).error?.issues[0]?.message).toBe(
      'refused by validator "isbn"',
    );
  });
});
