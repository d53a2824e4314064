/**
 * The shape of a QuerySet's SELECT: everything about its state that can change the SQL text,
 * and nothing that is only bound. Two states with the same key compile to the same SQL, their
 * bound filter values taken slot by slot (param-slots.ts); LIMIT and OFFSET are in the key
 * as numbers. States the key cannot describe simply (annotations, F() expressions, a recorded
 * error) have no key and are compiled every time.
 *
 * Which field goes in, and how, is declared once per field by STATE_FIELDS (state.ts); the key
 * is written from that table, so a field cannot be left out of it. Every name written into the
 * key is a field name, filter key, ordering or field path already checked against ModelMeta
 * (identifier segments joined by `__`, maybe a leading `-`), so the separators used here and in
 * cond-key.ts (`;`, `=`, `,`, `/`, `(`, `)`, ` `, `!`) cannot occur inside one.
 */
import { type QueryState, type StateField, STATE_FIELD_LIST } from "./state.js";

/**
 * A field written into the key: `;<n>=` (n its place among the written fields, shorter to
 * build and hash than its name, and as unique) and what `write` makes of its value.
 */
interface KeyPart {
  readonly name: keyof QueryState;
  readonly prefix: string;
  readonly write: (value: unknown) => string | undefined;
}

// The table split once by role, so the key (built for every query run) walks plain arrays.
const PARTS: readonly KeyPart[] = STATE_FIELD_LIST.filter(
  ([, { shape }]) => shape.in === "key" || shape.in === "slots",
).map(([name, { shape }], n) => ({
  name,
  prefix: `;${n}=`,
  write: (shape as { write: KeyPart["write"] }).write,
}));
const UNCACHED: readonly (readonly [keyof QueryState, StateField<unknown>])[] =
  STATE_FIELD_LIST.filter(([, field]) => field.shape.in === "uncached");

/**
 * The shape key of `state`, or undefined when it must be compiled every time. It is the same
 * for every dialect, as the statement's AST is; the cache keeps one plan per dialect.
 */
export function shapeKey(state: QueryState): string | undefined {
  for (let i = 0; i < UNCACHED.length; i++) {
    const [name, field] = UNCACHED[i]!;
    const value = state[name];
    // Most states share the initial value itself: no comparison needed.
    if (value !== field.initial && !field.equal(value, field.initial)) return undefined;
  }
  let key = "";
  for (let i = 0; i < PARTS.length; i++) {
    const part = PARTS[i]!;
    const written = part.write(state[part.name]);
    if (written === undefined) return undefined;
    key += part.prefix + written;
  }
  return key;
}
