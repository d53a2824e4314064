/**
 * Type-level contract of the query API (checked by `tsc`; the runtime assertions are trivial).
 * Uses a model typed the way yara-gen types one, with a precise where type.
 */
import { describe, expectTypeOf, test } from "vitest";
import {
  F,
  Model,
  ModelManager,
  Q,
  type ModelMeta,
  type ModelTypes,
  type QuerySet,
} from "../../../runtime/index.js";
import { tagMeta } from "./fixtures.js";

type NoteWhere = {
  id?: number;
  id__in?: readonly number[];
  name?: string;
  name__icontains?: string;
};

interface NoteTypes extends ModelTypes {
  model: Note;
  where: NoteWhere;
  fields: { id: number; name: string };
  create: { name: string };
  update: { name?: string | ReturnType<typeof F> };
  pk: number;
}

class Note extends Model {
  static readonly meta: ModelMeta = { ...tagMeta, name: "Note", table: "notes", relations: [] };
  static readonly objects: ModelManager<NoteTypes> = new ModelManager<NoteTypes>(Note, {
    decode: (r, i, c = 0) => new Note(r.int(c, i), r.text(c + 1, i)),
    columns: `"notes"."id", "notes"."name"`,
  });
  constructor(
    public id: number,
    public name: string,
  ) {
    super();
  }
}

describe("query types", () => {
  test("filter keys and values are checked", () => {
    const qs = Note.objects.filter({ name__icontains: "a", id__in: [1, 2] });
    expectTypeOf(qs).toEqualTypeOf<QuerySet<NoteTypes>>();
    // compiled, never run (they would throw FieldError at run time)
    void (() => {
      // @ts-expect-error unknown key
      Note.objects.filter({ nope: 1 });
      // @ts-expect-error wrong value type
      Note.objects.filter({ id: "1" });
      Note.objects.filter(Q.or({ id: 1 }, { name: "x" }));
      // @ts-expect-error unknown key inside Q.or, checked where the Q is used
      Note.objects.filter(Q.or({ id: 1 }, { bad: 1 }));
      // @ts-expect-error unknown key inside Q(), checked where the Q is used
      Note.objects.filter(Q({ bad: 1 }));
      // A value that may be either form takes the third overload, on every filtering method.
      const either = (): NoteWhere | Q<NoteWhere> => ({ id: 1 });
      Note.objects.filter(either()).exclude(either());
      void Note.objects.all().get(either());
      // @ts-expect-error unknown key on a chained filter (QuerySet.filter has the same overloads)
      Note.objects.all().filter({ nope: 1 });
      // @ts-expect-error a Q is not a filter object for getOrCreate, which takes keys only
      void Note.objects.getOrCreate(Q({ id: 1 }));
    });
  });

  test("awaiting gives instances; values/valuesList are typed by the picked fields", async () => {
    expectTypeOf<Awaited<QuerySet<NoteTypes>>>().toEqualTypeOf<Note[]>();
    const values = () => Note.objects.all().values("name");
    expectTypeOf<Awaited<ReturnType<typeof values>>>().toEqualTypeOf<
      Pick<{ id: number; name: string }, "name">[]
    >();
    const tuples = () => Note.objects.all().valuesList("id", "name");
    expectTypeOf<Awaited<ReturnType<typeof tuples>>>().toEqualTypeOf<[number, string][]>();
    const flat = () => Note.objects.all().valuesList("name", { flat: true });
    expectTypeOf<Awaited<ReturnType<typeof flat>>>().toEqualTypeOf<string[]>();
    const first = () => Note.objects.all().first();
    expectTypeOf<Awaited<ReturnType<typeof first>>>().toEqualTypeOf<Note | null>();
    void (() => {
      // @ts-expect-error unknown field
      Note.objects.all().values("nope");
      // @ts-expect-error unknown ordering
      Note.objects.all().orderBy("-nope");
      Note.objects.all().orderBy("-name", "id");
    });
  });

  test("statics return typed results", () => {
    expectTypeOf(Note.objects.get).returns.toEqualTypeOf<Promise<Note>>();
    const inBulk = (ids: number[]) => Note.objects.inBulk(ids); // overloaded: by key, or by a unique field
    expectTypeOf(inBulk).returns.toEqualTypeOf<Promise<Map<number, Note>>>();
    expectTypeOf(Note.objects.getOrCreate).returns.toEqualTypeOf<Promise<[Note, boolean]>>();
  });
});
