/**
 * The per-shape cache of compiled SELECTs: a query whose shape (shape-key.ts) was compiled
 * before skips building its AST and compiling, and only binds its filter values into the
 * cached SQL (param-slots.ts). One bounded LRU per model source.
 *
 * A plan is stored only when every parameter of the statement it was compiled from has a
 * known source (a filter value slot, or a value the key fixes) and replaying the plan on that
 * same query's slot values gives exactly the parameters the compiler bound. Anything else is
 * remembered as "compile every time".
 */
import type { CompiledPlan, CompiledQuery, StatementNode } from "../compiler/compiler.js";
import type { Param } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { ParamSlots, slotValues } from "./param-slots.js";
import { shapeKey } from "./shape-key.js";
import type { QueryState } from "./state.js";

/** One parameter of a plan: a slot's value (maybe mapped by the dialect), or a fixed value. */
type PlanParam =
  | { readonly slot: number; readonly map: ((value: Param) => Param) | undefined }
  | { readonly fixed: Param };

interface Plan {
  readonly sql: string;
  readonly params: readonly PlanParam[];
}

/** Most shapes kept per model source; the least recently used goes first. */
export const SHAPES_PER_MODEL = 256;

/** Per model source: shape key → plan, or null for a shape that is compiled every time. */
const caches = new WeakMap<object, Map<string, Plan | null>>();

/**
 * `{ sql, params }` of the statement `build` makes for `state`, from the cache of `owner` when
 * this shape was compiled before. `build` gets the slots to tag parameters with (undefined
 * when the state has no shape key).
 */
export function compileShape(
  owner: object,
  state: QueryState,
  dialect: Dialect,
  build: (slots: ParamSlots | undefined) => StatementNode,
): CompiledQuery {
  const compiler = dialect.compiler;
  const key = shapeKey(state, dialect);
  if (key === undefined) return compiler.compile(build(undefined));
  let cache = caches.get(owner);
  if (cache === undefined) caches.set(owner, (cache = new Map()));
  const plan = cache.get(key);
  if (plan !== undefined) {
    cache.delete(key);
    cache.set(key, plan);
    if (plan !== null)
      return { sql: plan.sql, params: bind(plan, slotValues(state.where, dialect)) };
    return compiler.compile(build(undefined));
  }
  const slots = new ParamSlots(state.where, dialect);
  const compiled = compiler.compilePlan(build(slots));
  cache.set(key, planOf(compiled, slots.values));
  if (cache.size > SHAPES_PER_MODEL) cache.delete(cache.keys().next().value!);
  return { sql: compiled.sql, params: compiled.params };
}

function bind(plan: Plan, values: readonly Param[]): Param[] {
  return plan.params.map((p) =>
    "fixed" in p ? p.fixed : p.map ? p.map(values[p.slot]!) : values[p.slot]!,
  );
}

/** The plan of `compiled`, or null when it cannot reproduce its parameters from slot values. */
function planOf(compiled: CompiledPlan, values: readonly Param[]): Plan | null {
  const params: PlanParam[] = [];
  for (const [i, source] of compiled.sources.entries()) {
    if (source === undefined) return null;
    if (source === "shape") params.push({ fixed: compiled.params[i]! });
    else if (source.slot >= values.length) return null;
    else params.push(source);
  }
  const plan = { sql: compiled.sql, params };
  const replayed = bind(plan, values);
  return replayed.every((p, i) => sameParam(p, compiled.params[i]!)) ? plan : null;
}

function sameParam(a: Param, b: Param): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameParam(v, b[i] as Param));
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return Object.is(a, b);
}
