/** A parsed JSON value: what a JSONField holds and accepts. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
