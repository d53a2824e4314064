// docs/api.md §1, "Validators", run on every database.
import assert from "node:assert/strict";
import { Product, registerValidators, ValidationError, YaraOrm } from "./generated/index.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();

// #region validators
const lamp = await Product.create({ name: "Lamp", sku: "LMP-0001", price: "19.90" });
const refused = await Product.create({ name: "Desk", sku: "desk-1", price: "99" }).catch(
  (e: unknown) => e,
); // ValidationError, before any SQL: "Product.sku: does not match the pattern ^[A-Z]{3}-\d{4}$"
const negative = await Product.filter({ id: lamp.id })
  .update({ stock: -1 })
  .catch((e: unknown) => e); // ValidationError: "Product.stock: less than minValue 0"
// #endregion
assert.ok(refused instanceof ValidationError);
assert.equal(refused.message, "Product.sku: does not match the pattern ^[A-Z]{3}-\\d{4}$");
assert.equal(refused.field, "sku");
assert.ok(negative instanceof ValidationError);
assert.equal(negative.message, "Product.stock: less than minValue 0");
assert.equal(await Product.count(), 1);

// #region custom
registerValidators({
  ean13: (code: string) => {
    const digits = [...code].map(Number);
    const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
    return digits.length === 13 && (10 - (sum % 10)) % 10 === digits[12]
      ? undefined
      : "is not an EAN-13 barcode";
  },
});
await Product.create({ name: "Chair", sku: "CHR-0001", price: "45.00", barcode: "4006381333931" });
const misprint = await Product.create({
  name: "Stool",
  sku: "STL-0001",
  price: "25.00",
  barcode: "4006381333932",
}).catch((e: unknown) => e); // ValidationError: "Product.barcode: is not an EAN-13 barcode"
// #endregion
assert.ok(misprint instanceof ValidationError);
assert.equal(misprint.message, "Product.barcode: is not an EAN-13 barcode");
assert.equal(misprint.field, "barcode");
assert.equal(await Product.filter({ barcode: "4006381333931" }).count(), 1);
await YaraOrm.close();
