/**
 * The shape of a QuerySet's SELECT: everything about its state that can change the SQL text,
 * and nothing that is only bound. Two states with the same key compile to the same SQL, their
 * bound filter values taken slot by slot (param-slots.ts); LIMIT and OFFSET are in the key
 * as numbers. States the key cannot describe simply (annotations, F() expressions, a recorded
 * error) have no key and are compiled every time.
 *
 * Which field goes in, and how, is declared once per field by STATE_FIELDS (state.ts); this
 * walks that table, so a field cannot be left out of the key. Every name written into the key
 * is a field name, filter key, ordering or field path already checked against ModelMeta
 * (identifier segments joined by `__`, maybe a leading `-`), so the separators used here and in
 * cond-key.ts (`;`, `=`, `,`, `/`, `(`, `)`, ` `, `!`) cannot occur inside one.
 */
import type { Dialect } from "../driver/driver.js";
import { type QueryState, STATE_FIELD_LIST } from "./state.js";

/** The shape key of `state` for `dialect`, or undefined when it must be compiled every time. */
export function shapeKey(state: QueryState, dialect: Dialect): string | undefined {
  let key = dialect;
  for (const [name, field] of STATE_FIELD_LIST) {
    const { shape } = field;
    const value = state[name];
    switch (shape.in) {
      case "excluded":
        break;
      case "uncached":
        if (!field.equal(value, field.initial)) return undefined;
        break;
      default: {
        const part = shape.write(value);
        if (part === undefined) return undefined;
        key += `;${name}=${part}`;
      }
    }
  }
  return key;
}
