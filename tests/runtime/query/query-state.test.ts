/**
 * QueryState's fields are declared once, in STATE_FIELDS (runtime/query/state.ts), and the shape
 * key of the per-shape SQL cache walks that table: every state a builder makes carries exactly
 * the table's fields, and two states that differ in any one field the key covers get different
 * keys (a field left out would hand one query the cached SQL of another).
 */
import { describe, expect, test } from "vitest";
import { Count, F, Prefetch, ValidationError } from "../../../runtime/index.js";
import { shapeKey } from "../../../runtime/query/shape-key.js";
import {
  EMPTY_STATE,
  patchState,
  type QueryState,
  sameState,
  STATE_FIELD_LIST,
  STATE_FIELDS,
} from "../../../runtime/query/state.js";
import { QuerySet } from "../../../runtime/query/queryset.js";
import { Author, Book, type BookTypes, Tag } from "./fixtures.js";

const whereOf = (q: { readonly state: QueryState }) => q.state.where;

/**
 * Values other than the initial one for every field, pairwise different: a mapped type, so a
 * new QueryState field does not type-check here until it has samples.
 */
const SAMPLES: { readonly [K in keyof QueryState]: readonly QueryState[K][] } = {
  where: [
    whereOf(Book.objects.filter({ title: "a" })),
    whereOf(Book.objects.filter({ title__icontains: "a" })),
    whereOf(Book.objects.filter({ price: null })),
    whereOf(Book.objects.filter({ price__isnull: true })),
    whereOf(Book.objects.filter({ price__isnull: false })),
    whereOf(Book.objects.filter({ title: "a" }).filter({ id: 1 })),
    whereOf(Book.objects.filter({ author__createdAt__year: 2024 })),
  ],
  ordering: [[], ["title"], ["-title"], ["title", "id"]],
  limit: [0, 1, 2],
  offset: [0, 1, 2],
  distinct: [true],
  distinctOn: [["title"], ["title", "id"]],
  lock: [
    { skipLocked: false, nowait: false },
    { skipLocked: true, nowait: false },
    { skipLocked: false, nowait: true },
  ],
  only: [[], ["title"], ["title", "price"]],
  related: [["author"], ["author", "tags"]],
  prefetch: [["tags"], ["author"], [Prefetch("tags", { queryset: Tag.objects.all() })]],
  annotations: [Book.objects.all().annotate({ n: Count("tags") }).state.annotations],
  using: ["analytics", "replica"],
  groupBy: [["title"], ["title", "id"]],
  error: [new ValidationError("Book: broken", "Book", undefined)],
};

const names = Object.keys(STATE_FIELDS).sort();
const withField = <K extends keyof QueryState>(base: QueryState, name: K, value: QueryState[K]) =>
  patchState(base, { [name]: value } as Partial<QueryState>);

describe("QueryState", () => {
  test("every state a builder makes has exactly the table's fields", () => {
    const books = Book.objects.all();
    const states: QueryState[] = [
      EMPTY_STATE,
      books.state,
      books.filter({ title: "a" }).exclude({ id: 1 }).state,
      books.orderBy("-title").limit(3).offset(2).state,
      books.distinct().selectForUpdate({ nowait: true }).state,
      books.only("title").selectRelated("author").state,
      books.prefetchRelated("tags").state,
      books.annotate({ n: Count("tags") }).filter({ n__gte: 1 }).state,
      books.annotate({ n: Count("id") }).values("title", "n").state,
      books.filter({ id: F("authorId") }).state,
      books.filter({ nope: 1 } as never).state,
      Author.objects.all().defer("email").state,
      books.values("title").distinct().state,
    ];
    for (const state of states) expect(Object.keys(state).sort()).toEqual(names);
  });

  test("every field has samples other than its initial value, all different", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(names);
    for (const [name, field] of STATE_FIELD_LIST) {
      const samples = SAMPLES[name] as readonly unknown[];
      expect(samples.length, name).toBeGreaterThan(0);
      for (const [i, a] of samples.entries()) {
        expect(field.equal(a, field.initial), `${name} sample ${i}`).toBe(false);
        for (const b of samples.slice(i + 1)) expect(field.equal(a, b), name).toBe(false);
      }
    }
  });

  test("a state that differs in one keyed field gets another shape key", () => {
    // From the empty state and from a state with every other keyed field set.
    const full = STATE_FIELD_LIST.reduce(
      (state, [name, field]) =>
        field.shape.in === "key" || field.shape.in === "slots"
          ? withField(state, name, SAMPLES[name][0]!)
          : state,
      EMPTY_STATE,
    );
    let keyed = 0;
    for (const [name, field] of STATE_FIELD_LIST) {
      if (field.shape.in !== "key" && field.shape.in !== "slots") continue;
      keyed++;
      for (const base of [EMPTY_STATE, full]) {
        const values = [field.initial, ...(SAMPLES[name] as readonly unknown[])];
        const keys = values.map((v) => shapeKey(withField(base, name, v as never)));
        for (const key of keys) expect(key, name).toBeDefined();
        expect(new Set(keys).size, `${name}: ${keys.join(" | ")}`).toBe(values.length);
      }
    }
    expect(keyed).toBeGreaterThan(8);
  });

  test("a field that changes the SQL text changes the shape key (or leaves none)", () => {
    const sqlOf = (state: QueryState): string | undefined => {
      try {
        return new QuerySet<BookTypes>(Book.objects, state).sql("postgres").sql;
      } catch {
        return undefined; // a combination the builders would refuse (counted below)
      }
    };
    let compared = 0;
    for (const [name] of STATE_FIELD_LIST) {
      for (const value of SAMPLES[name] as readonly unknown[]) {
        const state = withField(EMPTY_STATE, name, value as never);
        const sql = sqlOf(state);
        if (sql === undefined || sql === sqlOf(EMPTY_STATE)) continue;
        compared++;
        expect(shapeKey(state), name).not.toBe(shapeKey(EMPTY_STATE));
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  test("an uncached field set means no shape key; an excluded one leaves the key alone", () => {
    const key = shapeKey(EMPTY_STATE);
    for (const [name, field] of STATE_FIELD_LIST) {
      for (const value of SAMPLES[name] as readonly unknown[]) {
        const state = withField(EMPTY_STATE, name, value as never);
        if (field.shape.in === "uncached") expect(shapeKey(state), name).toBeUndefined();
        if (field.shape.in === "excluded") expect(shapeKey(state), name).toBe(key);
      }
    }
    expect(STATE_FIELDS.error.shape.in).toBe("uncached");
    expect(STATE_FIELDS.prefetch.shape.in).toBe("excluded");
  });

  test("sameState compares field by field; a patch copies every other field", () => {
    for (const [name] of STATE_FIELD_LIST) {
      for (const value of SAMPLES[name] as readonly unknown[]) {
        const changed = withField(EMPTY_STATE, name, value as never);
        expect(sameState(changed, EMPTY_STATE), name).toBe(false);
        expect(sameState(changed, patchState(changed, {})), name).toBe(true);
        expect(
          sameState(withField(changed, name, STATE_FIELDS[name].initial as never), EMPTY_STATE),
        ).toBe(true);
      }
    }
  });
});
