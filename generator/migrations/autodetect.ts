/**
 * The autodetector: compares the state replayed from a migrations folder with the state of the
 * schema file (no database) and lists the operations that turn one into the other, ordered so
 * every statement finds what it needs — renames; indexes, join tables and fields that go away;
 * new models (foreign-key targets first); new and changed fields; dropped models (those pointing
 * at others first); new join tables and indexes. Renames are only those the user names; a field
 * or model that looks renamed is reported as a hint with the flag that says so.
 */
import {
  applyOperation,
  fieldSpecOf,
  joinColumns,
  modelSpecOf,
  needsFill,
  type FieldSpec,
  type JoinTableSpec,
  type ModelMeta,
  type Operation,
  type RelationMeta,
  type SchemaState,
} from "yara-orm/internal";
import type { Renames } from "./renames.js";

export interface Detected {
  readonly operations: Operation[];
  /** Things the user should know: likely renames, NOT NULL columns existing rows need a value for. */
  readonly hints: string[];
}

export class RenameProblem extends Error {
  override name = "RenameProblem";
}

/** Canonical JSON: keys sorted, undefined members left out. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

const joinRelations = (m: ModelMeta): RelationMeta[] =>
  m.relations.filter((r) => r.kind === "manyToMany");

function joinSpec(m: ModelMeta, r: RelationMeta): JoinTableSpec {
  return { model: m.name, relation: r.name, target: r.target, ...joinColumns(r.through!) };
}

const sameList = (a: readonly string[], b: readonly string[]) => canonical(a) === canonical(b);

function findField(model: ModelMeta, name: string) {
  return model.fields.find((f) => f.name === name) ?? model.fields.find((f) => f.relation === name);
}

export function autodetect(from: SchemaState, to: SchemaState, renames: Renames): Detected {
  const operations: Operation[] = [];
  const hints: string[] = [];
  let state = from;
  const push = (op: Operation): void => {
    operations.push(op);
    state = applyOperation(state, op);
  };

  for (const [oldName, newName] of renames.models) {
    if (!state.has(oldName))
      throw new RenameProblem(
        `--rename ${oldName}=${newName}: the migrations have no model ${oldName}`,
      );
    if (!to.has(newName))
      throw new RenameProblem(`--rename ${oldName}=${newName}: the schema has no model ${newName}`);
    if (state.has(newName))
      throw new RenameProblem(`--rename ${oldName}=${newName}: model ${newName} exists already`);
    push({ op: "renameModel", from: oldName, to: newName });
  }
  for (const [key, newField] of renames.fields) {
    const [modelName, oldField] = key.split(".") as [string, string];
    const flag = `--rename ${key}=${newField}`;
    const before = state.get(modelName);
    const after = to.get(modelName);
    if (before === undefined || after === undefined)
      throw new RenameProblem(
        `${flag}: model ${modelName} is not in both the migrations and the schema`,
      );
    const joined = joinRelations(before).find((r) => r.name === oldField);
    if (joined !== undefined) {
      push(renameJoinRelation(flag, modelName, joined, after, newField));
      continue;
    }
    const f0 = findField(before, oldField);
    const f1 = findField(after, newField);
    if (f0 === undefined)
      throw new RenameProblem(`${flag}: the migrations have no field ${modelName}.${oldField}`);
    if (f1 === undefined)
      throw new RenameProblem(`${flag}: the schema has no field ${modelName}.${newField}`);
    push({
      op: "renameField",
      model: modelName,
      from: f0.name,
      to: f1.name,
      ...(f0.column === f1.column ? {} : { column: f1.column }),
      ...(f1.relation !== undefined && f1.relation !== f0.relation
        ? { relation: f1.relation }
        : {}),
    });
  }
  for (const [name, m1] of to) {
    const m0 = state.get(name);
    if (m0 !== undefined && m0.table !== m1.table)
      push({ op: "alterModelTable", model: name, table: m1.table });
  }

  // Kept join tables whose derived table or column names follow a renamed model or table:
  // renamed in place, never dropped and created again (that would lose their rows).
  for (const [name, m0] of state) {
    const m1 = to.get(name);
    if (m1 === undefined) continue;
    for (const r0 of joinRelations(m0)) {
      const r1 = joinRelations(m1).find((x) => x.name === r0.name);
      if (r1 === undefined || r1.target !== r0.target) continue;
      if (canonical(r0.through) !== canonical(r1.through))
        push({
          op: "renameJoinTable",
          model: name,
          relation: r0.name,
          ...joinColumns(r1.through!),
        });
    }
  }

  const removedModels = [...state.keys()].filter((n) => !to.has(n));
  const addedModels = [...to.keys()].filter((n) => !state.has(n));
  const common = [...to.keys()].filter((n) => state.has(n));

  // Going away: join tables, indexes, fields.
  for (const [name, m0] of state) {
    const m1 = to.get(name);
    for (const r of joinRelations(m0)) {
      const kept = m1 && joinRelations(m1).find((x) => x.name === r.name);
      if (kept === undefined || canonical(joinSpec(m0, r)) !== canonical(joinSpec(m1!, kept)))
        push({ op: "dropJoinTable", model: name, relation: r.name });
    }
  }
  for (const name of common) {
    const m0 = state.get(name)!;
    const m1 = to.get(name)!;
    for (const unique of [true, false]) {
      const key = unique ? "uniqueTogether" : "indexes";
      for (const fields of m0[key])
        if (!m1[key].some((f) => sameList(f, fields)))
          push({ op: "removeIndex", model: name, fields, unique });
    }
    for (const f of m0.fields) {
      if (m1.fields.some((x) => x.name === f.name)) continue;
      push({ op: "removeField", model: name, field: f.name });
      if (needsFill(f))
        hints.push(
          `${name}.${f.name} is NOT NULL without a default: reverting its removal on a table with rows ` +
            `needs a value for them; add { fill: … } to its removeField in the new file before applying it ` +
            `(an applied file cannot be edited)`,
        );
    }
  }

  // New models, foreign-key targets first; a key to a model created later is added afterwards.
  const deferred: Operation[] = [];
  for (const name of dependencyOrder(addedModels, to)) {
    const spec = modelSpecOf(to.get(name)!);
    const now: FieldSpec[] = [];
    for (const f of spec.fields) {
      const target = f.references?.model;
      if (target !== undefined && target !== name && !state.has(target))
        deferred.push({ op: "addField", model: name, field: f });
      else now.push(f);
    }
    push({ op: "createModel", model: { ...spec, fields: now } });
  }
  for (const op of deferred) push(op);

  // New and changed fields.
  for (const name of common) {
    const m0 = state.get(name)!;
    const m1 = to.get(name)!;
    for (const f of m1.fields) {
      const spec = fieldSpecOf(m1, f.name)!;
      const old = fieldSpecOf(m0, f.name);
      if (old === undefined) {
        push({ op: "addField", model: name, field: spec });
        if (needsFill(spec))
          hints.push(
            `${name}.${f.name} is NOT NULL without a default: rows already in ${m1.table} need a value; ` +
              `add { fill: … } to its addField in the new file before applying it to a database with rows`,
          );
      } else if (canonical(old) !== canonical(spec)) {
        push({ op: "alterField", model: name, field: spec });
        if (old.nullable && needsFill(spec))
          hints.push(
            `${name}.${f.name} becomes NOT NULL without a default: rows of ${m1.table} holding NULL need a value; ` +
              `add { fill: … } to its alterField in the new file before applying it to a database with such rows`,
          );
      }
    }
  }

  // Dropped models, those pointing at others first.
  for (const name of dependencyOrder(removedModels, state).reverse())
    push({ op: "deleteModel", model: name });

  // New join tables and indexes.
  for (const [name, m1] of to) {
    const m0 = state.get(name)!;
    for (const r of joinRelations(m1)) {
      if (!joinRelations(m0).some((x) => x.name === r.name))
        push({ op: "createJoinTable", join: joinSpec(m1, r) });
    }
  }
  for (const [name, m1] of to) {
    const m0 = state.get(name)!;
    for (const unique of [true, false]) {
      const key = unique ? "uniqueTogether" : "indexes";
      for (const fields of m1[key])
        if (!m0[key].some((f) => sameList(f, fields)))
          push({ op: "addIndex", model: name, fields, unique });
    }
  }

  hints.push(...renameHints(operations, from, to));
  return { operations, hints };
}

/** `--rename Book.tags=labels` of a many-to-many relation: its join table renamed in place. */
function renameJoinRelation(
  flag: string,
  model: string,
  r0: RelationMeta,
  after: ModelMeta,
  to: string,
): Operation {
  const r1 = joinRelations(after).find((r) => r.name === to);
  if (r1 === undefined)
    throw new RenameProblem(`${flag}: the schema has no many-to-many relation ${model}.${to}`);
  if (r1.target !== r0.target)
    throw new RenameProblem(
      `${flag}: ${model}.${r0.name} points at ${r0.target} but ${model}.${to} at ${r1.target}; ` +
        `a rename keeps the target`,
    );
  return { op: "renameJoinTable", model, relation: r0.name, to, ...joinColumns(r1.through!) };
}

/** `names` ordered so a model comes after the models (among `names`) its keys point at. */
function dependencyOrder(names: readonly string[], state: SchemaState): string[] {
  const wanted = new Set(names);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, path: Set<string>): void => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const r of state.get(name)!.relations) {
      if (r.kind !== "manyToMany" && wanted.has(r.target) && r.target !== name)
        visit(r.target, path);
    }
    done.add(name);
    order.push(name);
  };
  for (const name of names) visit(name, new Set());
  return order;
}

/**
 * A dropped and an added field of the same kind on one model, a dropped and an added
 * many-to-many relation to the same model, or a dropped and an added model.
 */
function renameHints(
  operations: readonly Operation[],
  from: SchemaState,
  to: SchemaState,
): string[] {
  const hints: string[] = [];
  const removed = operations.filter((o) => o.op === "removeField");
  const added = operations.filter((o) => o.op === "addField");
  for (const r of removed) {
    const old = from.get(r.model)?.fields.find((f) => f.name === r.field);
    for (const a of added) {
      if (a.model !== r.model || old === undefined || old.kind !== a.field.kind) continue;
      hints.push(
        `${r.model}.${r.field} is dropped and ${r.model}.${a.field.name} added (their data is not carried over); ` +
          `if it is a rename, run again with --rename ${r.model}.${old.relation ?? r.field}=${a.field.relation ?? a.field.name}`,
      );
    }
  }
  // A dropped join table's target, read from the state it was dropped from (after renames).
  const unjoined: { model: string; relation: string; target: string }[] = [];
  let state = from;
  for (const op of operations) {
    if (op.op === "dropJoinTable") {
      const r = state.get(op.model)!.relations.find((x) => x.name === op.relation)!;
      unjoined.push({ model: op.model, relation: op.relation, target: r.target });
    }
    state = applyOperation(state, op);
  }
  const joined = operations.filter((o) => o.op === "createJoinTable");
  for (const d of unjoined) {
    for (const c of joined) {
      if (c.join.model !== d.model || d.target !== c.join.target) continue;
      hints.push(
        `${d.model}.${d.relation} is dropped and ${d.model}.${c.join.relation} added (the join table's rows are not carried over); ` +
          `if it is a rename, run again with --rename ${d.model}.${d.relation}=${c.join.relation}`,
      );
    }
  }
  const dropped = operations.filter((o) => o.op === "deleteModel").map((o) => o.model);
  const created = operations.filter((o) => o.op === "createModel").map((o) => o.model.name);
  for (const d of dropped) {
    for (const c of created) {
      if (!from.has(d) || !to.has(c)) continue;
      hints.push(
        `model ${d} is dropped and ${c} created; if it is a rename, run again with --rename ${d}=${c}`,
      );
    }
  }
  return hints;
}
