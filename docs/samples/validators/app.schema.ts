// The schema of docs/api.md "Validators". The client in ./generated is made from it before the
// tests run.
// #region schema
// app.schema.ts
import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Product: {
    name: fields.CharField({ maxLength: 100, minLength: 2 }),
    sku: fields.CharField({ maxLength: 20, regex: "^[A-Z]{3}-\\d{4}$" }),
    support: fields.TextField({ email: true, null: true }),
    stock: fields.IntField({ minValue: 0, default: 0 }),
    price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, minValue: "0.01" }),
    barcode: fields.CharField({ maxLength: 13, null: true, validators: ["ean13"] }),
  },
});
// #endregion
