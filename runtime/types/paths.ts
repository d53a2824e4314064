/**
 * Relation paths: `PrefixedWhere<"author", AuthorOwnWhere>` turns `name__icontains` into
 * `author__name__icontains`. Generated code stacks these a fixed number of relation hops deep
 * (see `generator/emit-where.ts`), so cyclic schemas still produce finite types.
 *
 * Generated code only ever applies them to interfaces, never to intersections: TypeScript then
 * instantiates them without expanding the related model's keys, and a model's full key set is
 * only built where it is used or checked. The keys are narrowed to strings in the constraint
 * (`keyof W & string`), not in the key template, so renaming one key costs one template.
 */

/** Every key of filter type `W` under `<P>__`, all optional. */
export type PrefixedWhere<P extends string, W> = {
  [K in keyof W & string as `${P}__${K}`]?: W[K];
};

/** Every path of field-types `F` under `<P>__`. */
export type PrefixedFields<P extends string, F> = {
  [K in keyof F & string as `${P}__${K}`]: F[K];
};

/**
 * Like `PrefixedFields`, for values read through a nullable relation (a LEFT JOIN): every value
 * may also be `null`. Used for `values()` / `orderBy()` paths such as `editor__name`.
 */
export type NullablePrefixedFields<P extends string, F> = {
  [K in keyof F & string as `${P}__${K}`]: F[K] | null;
};
