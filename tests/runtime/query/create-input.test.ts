/**
 * create()'s one-pass check of its input (runtime/model/create-input.ts) gives the generated
 * create schema's verdict on every input, and, without the schema to word a refusal, the same
 * message and field: every generated model of the feature tests' client, each field and relation
 * given each value of a pool of good and bad values, left out, or joined by an unknown key.
 */
import { describe, expect, test } from "vitest";
import * as client from "../../features/generated/index.js";
import { checkSchema, type SchemaLike } from "../../../runtime/query/base.js";
import type { ModelManager } from "../../../runtime/model/manager.js";
import type { ModelTypes } from "../../../runtime/model/types.js";

type Managed = { objects: ModelManager<ModelTypes>; meta: { name: string } };
type Shape = Record<string, { safeParse(v: unknown): { success: boolean } }>;

const author = client.Author.build({ name: "Ada" });
const POOL: readonly unknown[] = [
  null,
  0,
  1,
  -1,
  2.5,
  2 ** 31,
  40_000,
  2n,
  2n ** 70n,
  Number.NaN,
  "",
  "x",
  "a".repeat(300),
  "12.50",
  "1e3",
  "2024-05-01",
  "2024-02-30",
  "10:30",
  "25:00",
  "2024-05-01T10:30:00Z",
  "2024-05-01T10:30",
  new Date(0),
  new Date(Number.NaN),
  new Date(-1e15),
  "123e4567-e89b-12d3-a456-426614174000",
  true,
  false,
  { a: 1 },
  [1, 2],
  new Uint8Array([1]),
  "\uD800",
  "a\0b",
  author,
  "open",
  "low",
];

function fail(): never {
  throw new Error("refused");
}

/** Models with at least one accepted input (the base input works for most). */
const accepting = new Set<string>();

/** What a check of `input` gives: "ok", or the error's class, message and field. */
function verdict(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (err) {
    const e = err as Error & { field?: unknown };
    return `${e.name}: ${e.message} (${String(e.field)})`;
  }
}

const models = Object.values(client).filter(
  (v): v is never =>
    typeof v === "function" &&
    (v as unknown as Partial<Managed>).objects?.createSchema !== undefined,
) as unknown as Managed[];

describe("create input checked in one pass", () => {
  test("the feature client has models to check", () => {
    expect(models.length).toBeGreaterThan(10);
  });

  for (const model of models) {
    test(`${model.meta.name}: the create schema's verdict and words on every input`, () => {
      const schema = model.objects.createSchema as SchemaLike & { shape: Shape };
      const name = model.meta.name;
      const shape = schema.shape;
      // A good input: each member's first pool value it accepts, where it needs one.
      const base: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(shape)) {
        if (member.safeParse(undefined).success) continue;
        const good = POOL.find(
          (v) => verdict(() => member.safeParse(v).success || fail()) === "ok",
        );
        if (good !== undefined) base[key] = good;
      }
      const inputs: Record<string, unknown>[] = [base, {}, { ...base, bogus: 1, other: 2 }];
      for (const key of Object.keys(shape)) {
        const { [key]: _left, ...without } = base;
        inputs.push(without, { ...base, [key]: undefined });
        for (const value of POOL) inputs.push({ ...base, [key]: value });
      }
      for (const input of inputs) {
        const ours = verdict(() => model.objects.createInput.check(input, undefined));
        const theirs = verdict(() => checkSchema(name, schema, input));
        expect({ input, ours }).toEqual({ input, ours: theirs });
        if (ours === "ok") accepting.add(name);
      }
    });
  }

  test("most models accepted some of the inputs, so acceptance was compared too", () => {
    expect(accepting.size).toBeGreaterThan(10);
  });
});
