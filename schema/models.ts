/**
 * Drafts one model: checks its name and options, builds its scalar fields, keeps its relations
 * for `relations.ts`, and settles its primary key (declared, or the implicit `id`).
 */
import {
  CONSTRUCTOR_NAMES,
  RELATION_CONSTRUCTORS,
  isRelationConstructor,
  isScalarConstructor,
  type RelationConstructor,
} from "./constructors.js";
import { memberName, type MemberDraft, type ModelDraft, type RelationDraft } from "./draft.js";
import type { FieldIR } from "./ir.js";
import {
  RESERVED_MODEL_NAMES,
  closestName,
  isPascalCase,
  memberNameProblem,
  snakeCase,
} from "./naming.js";
import { FIELD_OPTIONS, MODEL_OPTIONS, parseOptions } from "./options.js";
import type { ProblemList } from "./problems.js";
import { option, type RawField, type RawModel } from "./raw.js";
import { scalarField } from "./scalar.js";

export function draftModel(raw: RawModel, problems: ProblemList): ModelDraft {
  checkModelName(raw, problems);
  const label = `model \`${raw.name}\``;
  const options = parseOptions(MODEL_OPTIONS, raw.options, { label, name: label }, problems);
  const members: MemberDraft[] = [];
  for (const field of raw.fields) {
    const problem = memberNameProblem(field.name);
    if (problem !== undefined)
      problems.add(field.loc, `field ${memberName(raw.name, field.name)} ${problem}`);
    const member = draftMember(raw.name, field, problems);
    if (member !== undefined) members.push(member);
  }
  const { pk, implicit } = primaryKey(raw, members, problems);
  return {
    name: raw.name,
    table: options.table ?? snakeCase(raw.name),
    tableLoc: option(raw.options, "table")?.loc ?? raw.loc,
    members,
    pk,
    implicitPk: implicit,
    options,
    rawOptions: raw.options,
    loc: raw.loc,
  };
}

function checkModelName(raw: RawModel, problems: ProblemList): void {
  if (!isPascalCase(raw.name)) {
    problems.add(
      raw.loc,
      `model name \`${raw.name}\` must be PascalCase (a capital letter, then letters and digits), like \`BookTag\``,
    );
    return;
  }
  const reserved = RESERVED_MODEL_NAMES.get(raw.name);
  if (reserved !== undefined) {
    problems.add(
      raw.loc,
      `model name \`${raw.name}\` clashes with ${reserved}; rename the model (\`model({...}, { table })\` can keep the table name)`,
    );
  }
}

function draftMember(model: string, raw: RawField, problems: ProblemList): MemberDraft | undefined {
  const name = memberName(model, raw.name);
  if (isScalarConstructor(raw.constructorName)) {
    return { kind: "field", field: scalarField(model, raw, raw.constructorName, problems) };
  }
  if (isRelationConstructor(raw.constructorName)) {
    return { kind: "relation", relation: draftRelation(model, raw, raw.constructorName, problems) };
  }
  const close = closestName(raw.constructorName, CONSTRUCTOR_NAMES);
  const hint =
    close === undefined
      ? `use one of ${CONSTRUCTOR_NAMES.join(", ")}`
      : `did you mean \`${close}\`?`;
  problems.add(
    raw.loc,
    `${name} uses \`${raw.constructorName}\`, which is not a yara field constructor; ${hint}`,
  );
  return undefined;
}

function draftRelation(
  model: string,
  raw: RawField,
  constructorName: RelationConstructor,
  problems: ProblemList,
): RelationDraft {
  const name = memberName(model, raw.name);
  const label = `${constructorName} ${name}`;
  const schema = FIELD_OPTIONS[constructorName];
  const options = parseOptions(schema, raw.options, { label, name, constructorName }, problems);
  const pk = option(raw.options, "pk");
  if (pk !== undefined && pk.value === true) {
    problems.add(
      pk.loc,
      `relation ${name} cannot be the primary key; give \`${model}\` its own pk field and make the relation \`unique\``,
    );
  }
  return { raw, kind: RELATION_CONSTRUCTORS[constructorName], constructorName, options };
}

/** The declared pk, or an implicit `id: IntField({ pk: true })`; reports a second pk. */
function primaryKey(
  raw: RawModel,
  members: readonly MemberDraft[],
  problems: ProblemList,
): { pk: FieldIR; implicit: boolean } {
  // Only scalar fields can be keys; a relation marked `pk` is reported by draftRelation.
  const pks = members.flatMap((m) => (m.kind === "field" && m.field.pk ? [m.field] : []));
  const [first, ...others] = pks;
  if (first !== undefined) {
    for (const other of others) {
      problems.add(
        other.loc,
        `model \`${raw.name}\` has a second primary key \`${other.name}\` besides \`${first.name}\`; keep \`pk: true\` on one field`,
      );
    }
    return { pk: first, implicit: false };
  }
  const id = raw.fields.find((f) => f.name === "id");
  if (id !== undefined) {
    problems.add(
      id.loc,
      `${memberName(raw.name, "id")} is not a primary key and \`${raw.name}\` has none, so yara cannot add its implicit \`id\`; mark a field \`pk: true\``,
    );
  }
  return {
    pk: {
      name: "id",
      column: "id",
      kind: "int",
      pk: true,
      nullable: false,
      unique: false,
      index: false,
      generated: true,
      autoNow: false,
      autoNowAdd: false,
      loc: raw.loc,
    },
    implicit: true,
  };
}
