/**
 * Relation paths and the flattening that keeps them cheap to type-check.
 *
 * `PrefixedWhere<"author", AuthorOwnWhere>` turns `name__icontains` into
 * `author__name__icontains`. Generated code stacks these a fixed number of relation hops deep
 * (see `generator/emit-where.ts`), so cyclic schemas still produce finite types.
 *
 * Every helper here is deliberately a *non-homomorphic* mapped type (`keyof T & string`, not
 * `keyof T`): TypeScript instantiates those without first reducing `T`, and a mapped type is
 * related to `object` without resolving its members. Together that means a model's filter keys
 * are only expanded where a filter object is actually checked, not once per model when the
 * generated files are checked. (A homomorphic mapped type or a bare intersection would expand
 * every related model's keys up front: 20M+ instantiations on a 300-model schema.)
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

/** An intersection of filter types as one object type whose keys are all optional. */
export type FlatWhere<W> = { [K in keyof W & string]?: W[K] };

/** An intersection of field types as one object type. */
export type FlatFields<F> = { [K in keyof F & string]: F[K] };
