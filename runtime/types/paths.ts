/**
 * Relation paths: `Prefixed<"author", AuthorOwnWhere>` turns `name__icontains` into
 * `author__name__icontains`. Generated code stacks these a fixed number of relation hops deep
 * (see `generator/emit-where.ts`), so cyclic schemas still produce finite types.
 */

/** Every key of `T` under `<P>__`, keeping each key's optionality and value type. */
export type Prefixed<P extends string, T> = {
  [K in keyof T as `${P}__${K & string}`]: T[K];
};

/**
 * Like `Prefixed`, for values read through a nullable relation (a LEFT JOIN): every value may
 * also be `null`. Used for `values()` / `orderBy()` paths such as `editor__name`.
 */
export type NullablePrefixed<P extends string, T> = {
  [K in keyof T as `${P}__${K & string}`]: T[K] | null;
};
