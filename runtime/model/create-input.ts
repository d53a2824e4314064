/**
 * create() and bulkCreate() input checked in one pass. The generated create schema
 * (`bookCreateSchema`, generator/emit-schemas.ts) is a strict object of `inputs.<kind>(…)`
 * members over `checkValue` plus `z.instanceof(Model)` for each to-one relation; this reads the
 * same rules from the model meta, so create input is checked once, and the values it accepts are
 * kept in their checked, dialect-neutral form (`checkValue`'s result) for the INSERT to bind.
 * What it accepts is what the schema accepts; when it refuses, the schema (when the manager has
 * one) is run to phrase the error, so the message is the schema's own, word for word.
 */
import { checkValue, isRejected, Rejected } from "../dialect/field-checks.js";
import { ValidationError } from "../errors.js";
import { checkSchema, type SchemaLike } from "../query/base.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import { Model } from "./model.js";
import { requiredOnCreate } from "./create-requirement.js";

/** One member of the create schema: a field, or a to-one relation (an instance, or null). */
interface Member {
  readonly name: string;
  /** The field's index in `meta.fields`; -1 for a relation. */
  readonly index: number;
  readonly field: FieldMeta | undefined;
  readonly optional: boolean;
  readonly nullable: boolean;
}

/** A relation member's refusal of `value`, in the create schema's (zod's `instanceof`) words. */
function notModel(value: unknown): string {
  let received: string = typeof value;
  if (value === null) received = "null";
  else if (Array.isArray(value)) received = "array";
  else if (typeof value === "number" && Number.isNaN(value)) received = "NaN";
  else if (typeof value === "object" && Object.getPrototypeOf(value) !== Object.prototype) {
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    if (ctor && "constructor" in value) received = ctor.name ?? received;
  }
  return `Invalid input: expected Model, received ${received}`;
}

/** Where a value is absent from `CheckedInput.values`. */
export const ABSENT: unique symbol = Symbol("absent");

/** Create input after the schema's checks: each field's checked value by meta index, or ABSENT. */
export type CheckedInput = unknown[];

/**
 * `count` copies of `value` in a new array, by a loop: `new Array(n).fill(v)` is a call into the
 * engine's C++ (about 200 instructions for a few elements) that optimized code does not inline.
 */
export function filledArray<T>(count: number, value: T): T[] {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(value);
  return out;
}

/** One model's create-input check, built once from its meta. */
export class CreateInput {
  readonly #members: readonly Member[];

  constructor(private readonly meta: ModelMeta) {
    const members: Member[] = meta.fields.map((field, index) => ({
      name: field.name,
      index,
      field,
      // A key column may be replaced by its relation (`author` instead of `authorId`).
      optional: !requiredOnCreate(field) || field.relation !== undefined,
      nullable: field.nullable,
    }));
    for (const r of meta.relations) {
      if (r.kind !== "foreignKey" && r.kind !== "oneToOne") continue;
      const key = meta.fields.find((f) => f.name === r.keyField);
      members.push({
        name: r.name,
        index: -1,
        field: undefined,
        optional: true,
        nullable: key?.nullable ?? false,
      });
    }
    this.#members = members;
  }

  /**
   * The checked value of each field `data` gives (by meta index; ABSENT where it gives none or a
   * relation instance stands for the key), or a ValidationError as the create schema words it.
   */
  check(data: Record<string, unknown>, schema: SchemaLike | undefined): CheckedInput {
    const members = this.#members;
    const values: CheckedInput = filledArray(this.meta.fields.length, ABSENT);
    let present = 0;
    for (let m = 0; m < members.length; m++) {
      const member = members[m]!;
      const value = data[member.name];
      if (value === undefined) {
        if (Object.hasOwn(data, member.name)) present++;
        if (!member.optional) return this.#refuse(data, schema, member, "is required");
        continue;
      }
      present++;
      if (value === null) {
        if (!member.nullable)
          return this.#refuse(
            data,
            schema,
            member,
            member.field ? "may not be null" : notModel(null),
          );
        if (member.field !== undefined) values[member.index] = null;
        continue;
      }
      const field = member.field;
      if (field === undefined) {
        if (!(value instanceof Model)) return this.#refuse(data, schema, member, notModel(value));
        continue;
      }
      const checked = checkValue(field, value, "write");
      if (isRejected(checked)) {
        if (checked.unregistered) throw checked.unregistered.error(this.meta.name);
        return this.#refuse(data, schema, member, checked.why);
      }
      values[member.index] = checked;
    }
    // Every key is a member's unless some are not: the strict object's refusal of unknown keys.
    if (present !== Object.keys(data).length) {
      const known = new Set(members.map((m) => m.name));
      const unknown = Object.keys(data).filter((k) => !known.has(k));
      return this.#refuse(
        data,
        schema,
        undefined,
        `Unrecognized key${unknown.length === 1 ? "" : "s"}: ${unknown.map((k) => JSON.stringify(k)).join(", ")}`,
      );
    }
    return values;
  }

  /** Throws the schema's error for `data` (its words), else ours: `why` for `member`. */
  #refuse(
    data: Record<string, unknown>,
    schema: SchemaLike | undefined,
    member: Member | undefined,
    why: string,
  ): never {
    const model = this.meta.name;
    if (schema !== undefined) checkSchema(model, schema, data);
    // The schema checks every member before it reports the first issue, and a validator nobody
    // registered throws from whichever member names it.
    for (const m of this.#members) {
      const value = data[m.name];
      if (m.field === undefined || value === undefined || value === null) continue;
      const checked = checkValue(m.field, value, "write");
      if (checked instanceof Rejected && checked.unregistered)
        throw checked.unregistered.error(model);
    }
    const field = member?.name;
    throw new ValidationError(`${model}${field ? `.${field}` : ""}: ${why}`, model, field);
  }
}
