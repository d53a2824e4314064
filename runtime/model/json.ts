/**
 * How a model instance becomes JSON (`JSON.stringify(book)`, `Model.toJSON`): its fields and
 * annotations as a plain object, with the values JSON cannot hold written out losslessly —
 * bigints as decimal strings (always, so a field's JSON type never depends on its value),
 * binary as base64. Decimals are strings already, dates and times too, and a Date becomes its
 * ISO-8601 text through `Date.prototype.toJSON`. Loaded relations are not included.
 */

/** A JSON-safe copy of `value`; JSON values are left as they are. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  return value;
}

/** The instance's own enumerable properties (fields and annotations), JSON-safe. */
export function instanceJson(instance: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(instance)) {
    if (value !== undefined) out[key] = jsonValue(value);
  }
  return out;
}
