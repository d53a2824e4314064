/**
 * The through model of a many-to-many relation (`tags: ManyToManyField("Tag", { through:
 * "BookTag" })`): an ordinary model of the schema whose rows are the join rows. Finds its two
 * foreign keys — to the declaring model and to the target, named by `throughFields` when either
 * side has several — and checks that the pair is unique together, so each pair is stored once.
 * Reports a `through` naming no model (a join table's own name starts with a lowercase letter
 * or `_`), a missing, ambiguous or nullable key, and `throughFields` without a through model.
 */
import type { FieldIR, SourceLocation, ThroughIR } from "./ir.js";
import type { ModelDraft, RelationDraft } from "./draft.js";
import { camelCase, closestName, keyFieldName } from "./naming.js";
import type { ProblemList } from "./problems.js";
import { option } from "./raw.js";

/** The declaration being resolved: `Book.tags` pointing at `Tag`. */
export interface ThroughUse {
  readonly source: ModelDraft;
  readonly target: ModelDraft;
  readonly draft: RelationDraft;
  /** `` `Book.tags` `` */
  readonly owner: string;
}

/**
 * Whether `through` names a model rather than the auto join table: a declared model, or a name
 * starting with a capital (a model name; join table names start lowercase), reported as unknown.
 */
export function namesModel(through: string | undefined): through is string {
  return through !== undefined && /^[A-Z]/.test(through);
}

/** The join of `use` through its through model, or undefined after reporting why there is none. */
export function throughModelJoin(
  use: ThroughUse,
  models: ReadonlyMap<string, ModelDraft>,
  keyFields: ReadonlyMap<string, ReadonlyMap<string, FieldIR>>,
  problems: ProblemList,
): ThroughIR | undefined {
  const { source, target, draft, owner } = use;
  const name = draft.options.through ?? "";
  const loc = option(draft.raw.options, "through")?.loc ?? draft.raw.loc;
  const model = models.get(name);
  if (model === undefined) {
    const close = closestName(name, models.keys());
    problems.add(
      loc,
      `\`through: "${name}"\` of ${owner} names no model; ${close === undefined ? `declare model \`${name}\` with foreign keys to \`${source.name}\` and \`${target.name}\`` : `did you mean \`${close}\`?`} (the auto join table's name starts with a lowercase letter or \`_\`)`,
    );
    return undefined;
  }
  if (model === source || model === target) {
    problems.add(
      loc,
      `the through model of ${owner} cannot be \`${model.name}\` itself; declare a model of its own with foreign keys to \`${source.name}\` and \`${target.name}\``,
    );
    return undefined;
  }
  const keys = foreignKeys(model);
  const named = draft.options.throughFields;
  const fieldsLoc = option(draft.raw.options, "throughFields")?.loc ?? loc;
  const pick = (side: ModelDraft, which: "first" | "second", index: 0 | 1) =>
    named === undefined
      ? onlyKeyTo(model, side, keys, owner, loc, problems)
      : namedKey(model, side, keys, named[index]!, which, owner, fieldsLoc, problems);
  const from = pick(source, "first", 0);
  const to = pick(target, "second", 1);
  if (from === undefined || to === undefined) return undefined;
  if (from === to) {
    problems.add(
      fieldsLoc,
      `\`throughFields\` of ${owner} names \`${from.raw.name}\` twice; name the foreign key to \`${source.name}\` first, then the one to \`${target.name}\``,
    );
    return undefined;
  }
  for (const key of [from, to])
    if (key.options.null === true)
      problems.add(
        option(key.raw.options, "null")?.loc ?? key.raw.loc,
        `\`${model.name}.${key.raw.name}\` holds one side of ${owner}'s pair and may not be null; remove \`null: true\``,
      );
  checkUniquePair(model, from, to, owner, problems);
  const fromKey = keyFields.get(model.name)?.get(from.raw.name);
  const toKey = keyFields.get(model.name)?.get(to.raw.name);
  if (fromKey === undefined || toKey === undefined) return undefined; // reported with the key
  return {
    table: model.table,
    sourceColumn: fromKey.column,
    targetColumn: toKey.column,
    model: { name: model.name, sourceField: fromKey.name, targetField: toKey.name },
  };
}

/** `throughFields` on a relation whose `through` is a table name (or absent). */
export function checkStrayThroughFields(use: ThroughUse, problems: ProblemList): void {
  const written = option(use.draft.raw.options, "throughFields");
  if (written === undefined) return;
  problems.add(
    written.loc,
    `\`throughFields\` of ${use.owner} needs a through model; set \`through\` to the model holding the join rows, or remove \`throughFields\``,
  );
}

function foreignKeys(model: ModelDraft): RelationDraft[] {
  const keys: RelationDraft[] = [];
  for (const member of model.members)
    if (member.kind === "relation" && member.relation.kind === "foreignKey")
      keys.push(member.relation);
  return keys;
}

function onlyKeyTo(
  model: ModelDraft,
  side: ModelDraft,
  keys: readonly RelationDraft[],
  owner: string,
  loc: SourceLocation,
  problems: ProblemList,
): RelationDraft | undefined {
  const toSide = keys.filter((k) => k.raw.target?.name === side.name);
  if (toSide.length === 1) return toSide[0];
  if (toSide.length === 0) {
    problems.add(
      loc,
      `the through model \`${model.name}\` of ${owner} has no ForeignKeyField to \`${side.name}\`; add one, such as \`${camelCase(side.name)}: fields.ForeignKeyField("${side.name}")\``,
    );
    return undefined;
  }
  const list = toSide.map((k) => `\`${k.raw.name}\``).join(", ");
  problems.add(
    loc,
    `the through model \`${model.name}\` of ${owner} has several ForeignKeyFields to \`${side.name}\` (${list}); name the two to use with \`throughFields\`, the one to the declaring model first`,
  );
  return undefined;
}

function namedKey(
  model: ModelDraft,
  side: ModelDraft,
  keys: readonly RelationDraft[],
  name: string,
  which: "first" | "second",
  owner: string,
  loc: SourceLocation,
  problems: ProblemList,
): RelationDraft | undefined {
  const key = keys.find((k) => k.raw.name === name);
  if (key !== undefined && key.raw.target?.name === side.name) return key;
  const what =
    key === undefined
      ? `which is not a ForeignKeyField of \`${model.name}\``
      : `a foreign key to \`${key.raw.target?.name ?? "?"}\``;
  const toSide = keys.filter((k) => k.raw.target?.name === side.name).map((k) => k.raw.name);
  const hint =
    toSide.length === 0
      ? `\`${model.name}\` has none to \`${side.name}\`; add one`
      : `use ${toSide.map((n) => `\`${n}\``).join(" or ")}`;
  problems.add(
    loc,
    `\`throughFields\` of ${owner} names \`${name}\` ${which}, ${what}; the ${which} must be a foreign key to \`${side.name}\` (${hint})`,
  );
  return undefined;
}

/** The pair must be one of the through model's `uniqueTogether` entries (by relation or key field name). */
function checkUniquePair(
  model: ModelDraft,
  from: RelationDraft,
  to: RelationDraft,
  owner: string,
  problems: ProblemList,
): void {
  const names = (key: RelationDraft) => [key.raw.name, keyFieldName(key.raw.name)];
  const unique = (model.options.uniqueTogether ?? []).some(
    (entry) =>
      entry.length === 2 &&
      entry.some((n) => names(from).includes(n)) &&
      entry.some((n) => names(to).includes(n)),
  );
  if (unique) return;
  const loc = option(model.rawOptions, "uniqueTogether")?.loc ?? model.loc;
  problems.add(
    loc,
    `the through model \`${model.name}\` of ${owner} needs \`uniqueTogether: [["${from.raw.name}", "${to.raw.name}"]]\`, so each pair is stored once`,
  );
}
