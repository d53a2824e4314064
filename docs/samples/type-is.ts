// Checks at compile time that a documented result type is exactly what the samples get:
// `typeIs<number | null>()(row.avg)` compiles only when `row.avg` is `number | null`.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function typeIs<Expected>() {
  return <Actual>(
    value: Actual,
    ..._exact: Equals<Actual, Expected> extends true
      ? []
      : ["the type differs from the documented one", Actual]
  ): Actual => value;
}
