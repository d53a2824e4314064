/**
 * Resolves declared relations against their targets: the key field of each to-one relation
 * (typed like the target's primary key), the reverse relation on the target (`relatedName`),
 * and the join table of each many-to-many relation (the auto join table, or a through model's
 * table, resolved once every model's keys are known: through-model.ts).
 */
import type { FieldIR, RelationIR, SourceLocation, ThroughIR } from "./ir.js";
import type { ModelDraft, RelationDraft } from "./draft.js";
import { memberName } from "./draft.js";
import {
  closestName,
  defaultRelatedName,
  defaultThroughTable,
  keyFieldName,
  memberNameProblem,
  snakeCase,
  throughColumns,
} from "./naming.js";
import type { ProblemList } from "./problems.js";
import { option } from "./raw.js";
import { checkStrayThroughFields, namesModel, throughModelJoin } from "./through-model.js";

export interface ThroughTable {
  readonly table: string;
  /** `` `Book.tags` `` */
  readonly owner: string;
  /** The `through` option, or the relation. */
  readonly loc: SourceLocation;
}

export interface ResolvedRelations {
  /** Model → relation name → the key field holding it (foreign keys and one-to-ones). */
  readonly keyFields: ReadonlyMap<string, ReadonlyMap<string, FieldIR>>;
  /** Model → its declared relations, in declaration order. */
  readonly forward: ReadonlyMap<string, readonly RelationIR[]>;
  /** Model → relations other models declared towards it, in declaration order. */
  readonly reverse: ReadonlyMap<string, readonly RelationIR[]>;
  readonly throughs: readonly ThroughTable[];
}

export function resolveRelations(
  models: readonly ModelDraft[],
  problems: ProblemList,
): ResolvedRelations {
  const byName = new Map(models.map((m) => [m.name, m]));
  const resolved: Resolving = {
    keyFields: new Map(models.map((m) => [m.name, new Map<string, FieldIR>()])),
    forward: new Map(models.map((m): [string, RelationIR[]] => [m.name, []])),
    reverse: new Map(models.map((m): [string, RelationIR[]] => [m.name, []])),
    throughs: [],
  };
  // Key fields first: linking a many-to-many relation through a model reads that model's keys.
  for (const source of models) {
    for (const member of source.members) {
      if (member.kind !== "relation" || member.relation.kind === "manyToMany") continue;
      const target = byName.get(member.relation.raw.target?.name ?? "");
      if (target !== undefined)
        resolved.keyFields
          .get(source.name)
          ?.set(member.relation.raw.name, keyField(member.relation, target.pk));
    }
  }
  for (const source of models) {
    for (const member of source.members) {
      if (member.kind !== "relation") continue;
      const draft = member.relation;
      const declared = draft.raw.target;
      if (declared === undefined) continue; // reported by the reader
      const target = byName.get(declared.name);
      const owner = memberName(source.name, draft.raw.name);
      if (target === undefined) {
        problems.add(declared.loc, unknownTarget(owner, declared.name, models));
        continue;
      }
      const link: Link = {
        source,
        target,
        draft,
        owner,
        ...reverseName(source, draft, owner, problems),
      };
      if (draft.kind === "manyToMany") linkManyToMany(link, byName, resolved, problems);
      else linkToOne(link, resolved, problems);
    }
  }
  return resolved;
}

/** One declared relation whose target exists. */
interface Link {
  readonly source: ModelDraft;
  readonly target: ModelDraft;
  readonly draft: RelationDraft;
  /** `` `Book.author` `` */
  readonly owner: string;
  /** The reverse relation's name on the target, and where it was chosen. */
  readonly relatedName: string;
  readonly reverseLoc: SourceLocation;
}

/** `ResolvedRelations` while it is being filled. */
interface Resolving {
  readonly keyFields: Map<string, Map<string, FieldIR>>;
  readonly forward: Map<string, RelationIR[]>;
  readonly reverse: Map<string, RelationIR[]>;
  readonly throughs: ThroughTable[];
}

/** `relatedName`, or camelCase of the source model (+ "s" unless one-to-one); checked as a member name. */
function reverseName(
  source: ModelDraft,
  draft: RelationDraft,
  owner: string,
  problems: ProblemList,
): { relatedName: string; reverseLoc: SourceLocation } {
  const relatedName =
    draft.options.relatedName ?? defaultRelatedName(source.name, draft.kind !== "oneToOne");
  const reverseLoc = option(draft.raw.options, "relatedName")?.loc ?? draft.raw.loc;
  const problem = memberNameProblem(relatedName);
  if (problem !== undefined) {
    problems.add(reverseLoc, `relatedName \`${relatedName}\` of ${owner} ${problem}`);
  }
  return { relatedName, reverseLoc };
}

function described(draft: RelationDraft): { description?: string } {
  return draft.options.description === undefined ? {} : { description: draft.options.description };
}

function linkManyToMany(
  link: Link,
  models: ReadonlyMap<string, ModelDraft>,
  resolved: Resolving,
  problems: ProblemList,
): void {
  const { source, target, draft } = link;
  let through: ThroughIR | undefined;
  if (namesModel(draft.options.through)) {
    through = throughModelJoin(link, models, resolved.keyFields, problems);
    if (through === undefined) return; // reported
  } else {
    checkStrayThroughFields(link, problems);
    through = joinTable(source, target, draft, resolved.throughs);
  }
  resolved.forward.get(source.name)?.push({
    name: draft.raw.name,
    kind: "manyToMany",
    target: target.name,
    inverse: link.relatedName,
    nullable: false,
    through,
    ...described(draft),
    loc: draft.raw.loc,
  });
  resolved.reverse.get(target.name)?.push({
    name: link.relatedName,
    kind: "reverseManyToMany",
    target: source.name,
    inverse: draft.raw.name,
    nullable: false,
    through,
    loc: link.reverseLoc,
  });
}

function linkToOne(link: Link, resolved: Resolving, problems: ProblemList): void {
  const { source, target, draft } = link;
  const key = keyField(draft, target.pk);
  checkOnDelete(draft, link.owner, key.nullable, problems);
  resolved.keyFields.get(source.name)?.set(draft.raw.name, key);
  const oneToOne = draft.kind === "oneToOne";
  resolved.forward.get(source.name)?.push({
    name: draft.raw.name,
    kind: oneToOne ? "oneToOne" : "foreignKey",
    target: target.name,
    inverse: link.relatedName,
    keyField: key.name,
    onDelete: draft.options.onDelete ?? "CASCADE",
    nullable: key.nullable,
    ...described(draft),
    loc: draft.raw.loc,
  });
  resolved.reverse.get(target.name)?.push({
    name: link.relatedName,
    kind: oneToOne ? "reverseOneToOne" : "reverseForeignKey",
    target: source.name,
    keyField: key.name,
    inverse: draft.raw.name,
    // A reverse one-to-one may find no row; a reverse foreign key is a (possibly empty) set.
    nullable: oneToOne,
    loc: link.reverseLoc,
  });
}

/** `authorId`, typed like the target's primary key. */
function keyField(draft: RelationDraft, targetPk: FieldIR): FieldIR {
  const oneToOne = draft.kind === "oneToOne";
  const unique = oneToOne || (draft.options.unique ?? false);
  return {
    name: keyFieldName(draft.raw.name),
    column: draft.options.column ?? `${snakeCase(draft.raw.name)}_id`,
    kind: targetPk.kind,
    pk: false,
    nullable: draft.options.null ?? false,
    unique,
    // Foreign keys are indexed by default (joins and reverse lookups go through them).
    index: unique ? false : (draft.options.index ?? true),
    generated: false,
    autoNow: false,
    autoNowAdd: false,
    ...(targetPk.maxLength === undefined ? {} : { maxLength: targetPk.maxLength }),
    ...(targetPk.maxDigits === undefined ? {} : { maxDigits: targetPk.maxDigits }),
    ...(targetPk.decimalPlaces === undefined ? {} : { decimalPlaces: targetPk.decimalPlaces }),
    ...(targetPk.enumValues === undefined ? {} : { enumValues: targetPk.enumValues }),
    relation: draft.raw.name,
    loc: draft.raw.loc,
  };
}

function joinTable(
  source: ModelDraft,
  target: ModelDraft,
  draft: RelationDraft,
  throughs: ThroughTable[],
): ThroughIR {
  const columns = throughColumns(source.name, target.name);
  const table = draft.options.through ?? defaultThroughTable(source.table, target.table);
  const loc = option(draft.raw.options, "through")?.loc ?? draft.raw.loc;
  throughs.push({ table, owner: memberName(source.name, draft.raw.name), loc });
  return { table, sourceColumn: columns.source, targetColumn: columns.target };
}

function checkOnDelete(
  draft: RelationDraft,
  owner: string,
  nullable: boolean,
  problems: ProblemList,
): void {
  const onDelete = draft.options.onDelete;
  if ((onDelete === "SET NULL" || onDelete === "SET DEFAULT") && !nullable) {
    const loc = option(draft.raw.options, "onDelete")?.loc ?? draft.raw.loc;
    problems.add(
      loc,
      `${owner} uses \`onDelete: "${onDelete}"\` but its key cannot be null; add \`null: true\` or choose another onDelete`,
    );
  }
}

function unknownTarget(owner: string, target: string, models: readonly ModelDraft[]): string {
  const close = closestName(
    target,
    models.map((m) => m.name),
  );
  const hint =
    close === undefined
      ? `define it in the schema or use one of ${models.map((m) => m.name).join(", ")}`
      : `did you mean \`${close}\`?`;
  return `${owner} points to the unknown model \`${target}\`; ${hint}`;
}
