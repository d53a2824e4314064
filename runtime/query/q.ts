/**
 * `Q` combines filters: `Q({ title: "Dune" })`, `Q.or(a, b)`, `Q.and(a, b)`, `q.not()`.
 * Callable without `new`. A Q is plain data; `where.ts` resolves it against a model.
 */

export type QItem<W extends object> = W | Q<W>;

/**
 * A combined filter. `W` (the model's where type) checks the keys of the objects written inside
 * `Q(…)`, `Q.and(…)` and `Q.or(…)` wherever the Q is used (`Book.filter(Q.or({ … }, { … }))`);
 * a Q built with no such context (`const q = Q({ … })`) is checked at run time only. Its parts
 * (connector, children, negation) are read by the runtime only (`qParts`).
 */
export interface Q<W extends object = object> {
  /** This condition negated. */
  not(): Q<W>;
  and(...others: QItem<W>[]): Q<W>;
  or(...others: QItem<W>[]): Q<W>;
}

/** What a Q holds, as the where compiler reads it. */
export interface QParts {
  readonly connector: "and" | "or";
  /** Filter objects and nested Qs. */
  readonly children: readonly object[];
  readonly negated: boolean;
}

class QNode<W extends object> implements Q<W>, QParts {
  constructor(
    readonly connector: "and" | "or",
    readonly children: readonly object[],
    readonly negated: boolean,
  ) {
    Object.freeze(this);
  }

  not(): Q<W> {
    return new QNode(this.connector, this.children, !this.negated);
  }

  and(...others: QItem<W>[]): Q<W> {
    return new QNode("and", [this, ...others], false);
  }

  or(...others: QItem<W>[]): Q<W> {
    return new QNode("or", [this, ...others], false);
  }
}

export interface QFactory {
  <W extends object>(where: NoInfer<W>): Q<W>;
  /** `W` comes from where the result is used (`Book.filter(Q.and(…))`), so keys are checked there. */
  and<W extends object>(...items: QItem<NoInfer<W>>[]): Q<W>;
  or<W extends object>(...items: QItem<NoInfer<W>>[]): Q<W>;
}

export const Q: QFactory = Object.assign(
  <W extends object>(where: NoInfer<W>): Q<W> => new QNode<W>("and", [where], false),
  {
    and: <W extends object>(...items: QItem<NoInfer<W>>[]): Q<W> =>
      new QNode<W>("and", items, false),
    or: <W extends object>(...items: QItem<NoInfer<W>>[]): Q<W> => new QNode<W>("or", items, false),
  },
);

export function isQ(value: unknown): value is Q<object> {
  return value instanceof QNode;
}

/** The connector, children and negation of `q` (a Q is always a QNode). */
export function qParts(q: Q<object>): QParts {
  return q as QNode<object>;
}
