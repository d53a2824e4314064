/**
 * The aliases of a query nested in another (Subquery, Exists, `field__in: <query>`): handed
 * out by the outer statement's `Aliases`, so no alias inside shadows one outside, and knowing
 * the outer scope, which `OuterRef("field")` reads.
 */
import { Aliases, type Scope } from "./scope.js";

export class NestedAliases extends Aliases {
  constructor(readonly outer: Scope) {
    super(outer.model.table);
  }

  override next(): string {
    return this.outer.aliases.next();
  }
}

/** The scope of the statement `scope`'s query is nested in, if it is nested. */
export function outerScopeOf(scope: Scope): Scope | undefined {
  return scope.aliases instanceof NestedAliases ? scope.aliases.outer : undefined;
}
