/**
 * The per-shape cache of compiled SELECTs: a query whose shape (shape-key.ts) was compiled
 * before on this dialect skips building its AST and compiling, and only binds its filter values
 * into the cached SQL (param-slots.ts). One bounded LRU per model source.
 *
 * One parameter path: the AST of a shape is the same for every dialect, and holds the query's
 * slot values themselves; the compiler binds each through one function (the dialect's storage
 * form, then a derived value such as a LIKE pattern) and records that function as the
 * parameter's source. A plan replays those very functions on a later query's slot values, so
 * it binds what compiling that query would bind. A statement with a parameter of no known
 * source (a value the compiler made itself, or one not from a slot) is remembered as "compile
 * every time".
 */
import type { CompiledPlan, CompiledQuery, StatementNode } from "../compiler/compiler.js";
import type { Dialect } from "../dialect/dialect.js";
import type { Param } from "../driver/driver.js";
import { ParamSlots, slotValues } from "./param-slots.js";
import { shapeKey } from "./shape-key.js";
import type { QueryState } from "./state.js";

/** One parameter of a plan: a slot's value through the compiler's function, or a fixed value. */
type PlanParam =
  { readonly slot: number; readonly map: (value: Param) => Param } | { readonly fixed: Param };

interface Plan {
  readonly sql: string;
  readonly params: readonly PlanParam[];
}

/** A cached shape: its plan (null: compiled every time) and when it was last used. */
interface Entry {
  readonly plan: Plan | null;
  used: number;
}

/** Most shapes kept per model source and dialect; the least recently used goes first. */
export const SHAPES_PER_MODEL = 256;

/**
 * Per dialect, per model source: shape key → entry. A map per dialect rather than the dialect in
 * the key: no string built per query to look it up.
 */
const caches = new WeakMap<Dialect, WeakMap<object, Map<string, Entry>>>();

/**
 * The clock of last uses. A hit only stamps its entry: moving it to the map's end (delete, then
 * set) left a hole per hit that the map compacts by rehashing, 2–3 times a plain lookup's time.
 * The least recently used entry is looked for only when a new shape overflows the cache, which
 * compiles a statement anyway.
 */
let clock = 0;

/**
 * `{ sql, params }` of the statement `build` makes for `state`, rendered by `dialect`, from the
 * cache of `owner` when this shape was compiled before. `build` gets the slots to take filter
 * values from (undefined when the state has no shape key).
 */
export function compileShape(
  owner: object,
  state: QueryState,
  dialect: Dialect,
  build: (slots: ParamSlots | undefined) => StatementNode,
): CompiledQuery {
  const compiler = dialect.compiler;
  const shape = shapeKey(state);
  if (shape === undefined) return compiler.compile(build(undefined));
  let owners = caches.get(dialect);
  if (owners === undefined) caches.set(dialect, (owners = new WeakMap()));
  let cache = owners.get(owner);
  if (cache === undefined) owners.set(owner, (cache = new Map()));
  const entry = cache.get(shape);
  if (entry !== undefined) {
    entry.used = ++clock;
    const plan = entry.plan;
    if (plan !== null) return { sql: plan.sql, params: bind(plan, slotValues(state.where)) };
    return compiler.compile(build(undefined));
  }
  const slots = new ParamSlots(state.where);
  const compiled = compiler.compilePlan(build(slots));
  if (cache.size >= SHAPES_PER_MODEL) cache.delete(leastRecentlyUsed(cache));
  cache.set(shape, { plan: planOf(compiled, slots.values.length), used: ++clock });
  return { sql: compiled.sql, params: compiled.params };
}

function leastRecentlyUsed(cache: Map<string, Entry>): string {
  let oldest: string | undefined;
  let used = Infinity;
  for (const [shape, entry] of cache) {
    if (entry.used < used) {
      used = entry.used;
      oldest = shape;
    }
  }
  return oldest!;
}

function bind(plan: Plan, values: readonly Param[]): Param[] {
  return plan.params.map((p) => ("fixed" in p ? p.fixed : p.map(values[p.slot]!)));
}

/** The plan of `compiled`, or null when a parameter has no source to replay it from. */
function planOf(compiled: CompiledPlan, slots: number): Plan | null {
  const params: PlanParam[] = [];
  for (const [i, source] of compiled.sources.entries()) {
    if (source === undefined || (source !== "shape" && source.slot >= slots)) return null;
    params.push(source === "shape" ? { fixed: compiled.params[i]! } : source);
  }
  return { sql: compiled.sql, params };
}
