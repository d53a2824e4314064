/**
 * From raw specs to `SchemaIR`: drafts every model, resolves relations across models, fills in
 * every default and checks the rules that span fields and models. Problems are collected in
 * `problems`; the IR is only meaningful when none was added.
 */
import { checkColumns, checkMemberNames, checkTables } from "./clashes.js";
import { checkConnections } from "./connections.js";
import type { ModelDraft } from "./draft.js";
import type { FieldIR, ModelIR, SchemaIR } from "./ir.js";
import { draftModel } from "./models.js";
import type { ProblemList } from "./problems.js";
import type { RawModel, RawSchema } from "./raw.js";
import { resolveReferences } from "./references.js";
import { resolveRelations, type ResolvedRelations } from "./relations.js";

export function validateSchema(raw: RawSchema, problems: ProblemList): SchemaIR {
  if (raw.written === 0) {
    problems.add(
      raw.loc,
      "the schema defines no models; add at least one to `defineSchema({...})`",
    );
  }
  const drafts = raw.models.map((m) => draftOnce(m, problems));
  const relations = resolveRelations(drafts, problems);
  const models = drafts.map((draft) => buildModel(draft, relations, problems));
  for (const model of models) {
    checkMemberNames(model, problems);
    checkColumns(model, problems);
  }
  checkTables(drafts, relations.throughs, problems);
  checkConnections(models, problems);
  return { sourceFile: raw.file, models };
}

/**
 * Drafts of models read before. Watch mode's read cache hands back the very same `RawModel`
 * for a model whose text and lines did not change, so a save re-drafts only the models it
 * edited or moved (a moved model's locations differ: copying a draft with its locations
 * shifted measured no faster than drafting it again). A draft is a pure function of its raw
 * model; only drafts that raised no problem are kept, so problems are reported on every run.
 */
const drafted = new WeakMap<RawModel, ModelDraft>();

function draftOnce(raw: RawModel, problems: ProblemList): ModelDraft {
  const known = drafted.get(raw);
  if (known !== undefined) return known;
  const before = problems.size;
  const draft = draftModel(raw, problems);
  if (problems.size === before) drafted.set(raw, draft);
  return draft;
}

function buildModel(
  draft: ModelDraft,
  resolved: ResolvedRelations,
  problems: ProblemList,
): ModelIR {
  const keyFields = resolved.keyFields.get(draft.name);
  const fields: FieldIR[] = draft.implicitPk ? [draft.pk] : [];
  for (const member of draft.members) {
    if (member.kind === "field") {
      fields.push(member.field);
      continue;
    }
    const key = keyFields?.get(member.relation.raw.name);
    if (key !== undefined) fields.push(key);
  }
  const relations = [
    ...(resolved.forward.get(draft.name) ?? []),
    ...(resolved.reverse.get(draft.name) ?? []),
  ];
  const references = resolveReferences(
    draft.name,
    fields,
    relations,
    draft.options,
    draft.rawOptions,
    problems,
  );
  return {
    name: draft.name,
    table: draft.table,
    fields,
    relations,
    pk: draft.pk.name,
    ...references,
    ...(draft.options.description === undefined ? {} : { description: draft.options.description }),
    ...(draft.options.connection === undefined ? {} : { connection: draft.options.connection }),
    loc: draft.loc,
  };
}
