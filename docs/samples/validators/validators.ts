// docs/api.md §1, "Validators", run on every database.
import assert from "node:assert/strict";
import { Product, ValidationError, YaraOrm } from "./generated/index.js";

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

// #region in-code
// A rule yara cannot read from the schema: check it where the value is set.
function checkedName(name: string): string {
  if (name.trim() !== name)
    throw new ValidationError("Product.name: has spaces around it", "Product", "name");
  return name;
}
await Product.create({ name: checkedName("Chair"), sku: "CHR-0001", price: "45.00" });
// #endregion
assert.throws(() => checkedName(" Chair"), ValidationError);
await YaraOrm.close();
