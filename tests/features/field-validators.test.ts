/**
 * Field validators (`minValue`, `maxValue`, `minLength`, `regex`, `email`): one verdict per
 * value on every write path (create, bulkCreate, update, save), refused before any SQL with a
 * ValidationError naming the field; a filter value is not held to them.
 */
import { beforeEach, expect, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Listing } from "./generated/index.js";
import { forEachTarget, rejects, takeStatements } from "./harness.js";

const GOOD = { title: "Lamp", sku: "ABC-1", price: "9.99" };

/** [field, value, the message after "Listing.<field>: ", or "ok"] */
const CASES: [string, unknown, string][] = [
  ["title", "Owl", "ok"],
  ["title", "Ox", "shorter than minLength 3 (counted in characters)"],
  ["title", "😀😀", "shorter than minLength 3 (counted in characters)"],
  ["sku", "XYZ-42", "ok"],
  ["sku", "xyz-42", "does not match the pattern ^[A-Z]{3}-\\d+$"],
  ["contact", "ada@example.org", "ok"],
  ["contact", null, "ok"],
  ["contact", "ada@example", "is not an email address"],
  ["contact", "ada example@x.org", "is not an email address"],
  ["stock", 0, "ok"],
  ["stock", 1000, "ok"],
  ["stock", -1, "less than minValue 0"],
  ["stock", 1001, "more than maxValue 1000"],
  ["price", "0.01", "ok"],
  ["price", 5, "ok"],
  ["price", "0.00", "less than minValue 0.01"],
  ["price", "-3", "less than minValue 0.01"],
  ["ratio", -1, "ok"],
  ["ratio", 1.5, "more than maxValue 1"],
];

forEachTarget(() => {
  beforeEach(async () => {
    await Listing.all().delete();
  });

  for (const [field, value, verdict] of CASES) {
    it(`${field} = ${JSON.stringify(value)}: ${verdict}`, async () => {
      const row = { ...GOOD, [field]: value };
      const saved = await Listing.create(GOOD);
      takeStatements();
      const attempts: [string, () => Promise<unknown>][] = [
        ["create", () => Listing.create(row as typeof GOOD)],
        ["bulkCreate", () => Listing.bulkCreate([row as typeof GOOD])],
        ["update", () => Listing.filter({ id: saved.id }).update({ [field]: value })],
        [
          "save",
          () => {
            (saved as unknown as Record<string, unknown>)[field] = value;
            return saved.save();
          },
        ],
      ];
      for (const [path, attempt] of attempts) {
        const error = await rejects(attempt());
        if (verdict === "ok") {
          expect(error, path).toBeUndefined();
          continue;
        }
        expect(error, path).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field, path).toBe(field);
        expect((error as ValidationError).message, path).toContain(`Listing.${field}: ${verdict}`);
        expect(takeStatements(), `${path}: no SQL`).toEqual([]);
      }
      if (verdict !== "ok") {
        expect(await Listing.count()).toBe(1);
        // A filter value is only of the field's kind.
        expect(await Listing.filter({ [field]: value }).count()).toBe(0);
      }
    });
  }
});
