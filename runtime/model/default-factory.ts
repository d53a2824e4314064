/**
 * The per-row values of `defaultFactory` (and of a UUID primary key without a default): a fresh
 * UUID v4, or the insert's time in the field's representation.
 */
import { randomUUID } from "node:crypto";
import type { DefaultFactory, FieldMeta } from "./meta.js";

/** The current time in the representation of a date/datetime/time field. */
export function nowFor(field: FieldMeta, now: Date): unknown {
  if (field.kind === "date") return now.toISOString().slice(0, 10);
  if (field.kind === "time") return now.toISOString().slice(11, 23);
  return now;
}

export function factoryValue(field: FieldMeta, factory: DefaultFactory, now: Date): unknown {
  switch (factory) {
    case "uuid4":
      return randomUUID();
    case "now":
      return nowFor(field, now);
    case "today":
      return now.toISOString().slice(0, 10);
  }
}
